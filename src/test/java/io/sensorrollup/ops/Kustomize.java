package io.sensorrollup.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * {@code kustomize build} for what k8s/ uses, by kustomize's rules: resources (files and directories), components,
 * config map and secret generators (envs, literals, files; create, merge, replace; the name hash kustomize
 * computes, {@link KustomizeHash}), strategic-merge patches ({@link StrategicMerge}), namespace, labels, replicas,
 * images, and the references to a hashed name. A field or option it does not implement fails the build rather
 * than being ignored, so it cannot render something kustomize would not.
 */
final class Kustomize {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> FIELDS = Set.of("apiVersion", "kind", "resources", "components", "namespace",
            "labels", "images", "replicas", "configMapGenerator", "secretGenerator", "patches");
    private static final Set<String> GENERATOR_FIELDS = Set.of("name", "behavior", "envs", "literals", "files", "options");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "PersistentVolume", "StorageClass", "PriorityClass");
    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "ReplicaSet");

    /** A resource and whether its name gets the hash of its data (a generated ConfigMap or Secret). */
    private static final class Resource {
        final ObjectNode node;
        boolean hashed;

        Resource(ObjectNode node, boolean hashed) {
            this.node = node;
            this.hashed = hashed;
        }
    }

    private final UnaryOperator<Path> generatorFiles;

    private Kustomize(UnaryOperator<Path> generatorFiles) {
        this.generatorFiles = generatorFiles;
    }

    /**
     * @param generatorFiles where a generator reads a file it names (the test puts an example in place of a
     *     secrets file git ignores)
     */
    static List<ObjectNode> build(Path dir, UnaryOperator<Path> generatorFiles) {
        List<Resource> resources = new Kustomize(generatorFiles).accumulate(dir, null);
        Map<String, String> renamed = new HashMap<>();
        for (Resource r : resources) {
            if (r.hashed) {
                String name = name(r.node);
                String hashed = name + "-" + KustomizeHash.of(r.node);
                ((ObjectNode) r.node.get("metadata")).put("name", hashed);
                renamed.put(r.node.path("kind").asText() + "/" + namespace(r.node) + "/" + name, hashed);
            }
        }
        List<ObjectNode> built = new ArrayList<>();
        for (Resource r : resources) {
            rename(r.node, namespace(r.node), renamed);
            built.add(r.node);
        }
        return built;
    }

    /** @param parent the resources of the kustomization that lists {@code dir} as a component, else null */
    private List<Resource> accumulate(Path dir, List<Resource> parent) {
        JsonNode k = readAll(dir.resolve("kustomization.yaml")).get(0);
        boolean component = k.path("kind").asText().equals("Component");
        require(component == (parent != null), dir + ": a Component is listed under components, a Kustomization under resources");
        k.fieldNames().forEachRemaining(f -> require(FIELDS.contains(f), dir + ": unsupported field " + f));
        List<Resource> resources = component ? parent : new ArrayList<>();
        for (JsonNode entry : k.path("resources")) {
            Path path = dir.resolve(entry.asText()).normalize();
            if (Files.isDirectory(path)) {
                resources.addAll(accumulate(path, null));
            } else {
                readAll(path).forEach(doc -> resources.add(new Resource((ObjectNode) doc, false)));
            }
        }
        for (JsonNode generator : k.path("configMapGenerator")) {
            generate(dir, generator, "ConfigMap", resources);
        }
        for (JsonNode generator : k.path("secretGenerator")) {
            generate(dir, generator, "Secret", resources);
        }
        // kustomize's order: resources, generators, components, then the transformers
        for (JsonNode entry : k.path("components")) {
            accumulate(dir.resolve(entry.asText()).normalize(), resources);
        }
        for (JsonNode patch : k.path("patches")) {
            patch(dir, patch, resources);
        }
        if (k.has("namespace")) {
            resources.stream().filter(r -> !CLUSTER_SCOPED.contains(r.node.path("kind").asText()))
                    .forEach(r -> metadata(r.node).put("namespace", k.get("namespace").asText()));
        }
        for (JsonNode labels : k.path("labels")) {
            label(labels, resources);
        }
        for (JsonNode replicas : k.path("replicas")) {
            replicas(replicas, resources);
        }
        for (JsonNode image : k.path("images")) {
            resources.forEach(r -> image(image, r.node));
        }
        return resources;
    }

    private void generate(Path dir, JsonNode generator, String kind, List<Resource> resources) {
        generator.fieldNames().forEachRemaining(f -> require(GENERATOR_FIELDS.contains(f), dir + ": unsupported generator field " + f));
        generator.path("options").fieldNames().forEachRemaining(f -> require(Set.of("disableNameSuffixHash", "labels").contains(f),
                dir + ": unsupported generator option " + f));
        String name = generator.path("name").asText();
        Map<String, String> data = new LinkedHashMap<>();
        for (JsonNode env : generator.path("envs")) {
            data.putAll(envFile(generatorFiles.apply(dir.resolve(env.asText()))));
        }
        for (JsonNode literal : generator.path("literals")) {
            data.putAll(envLines(List.of(literal.asText()), "literal"));
        }
        for (JsonNode file : generator.path("files")) {
            String[] keyAndPath = file.asText().split("=", 2);
            Path path = generatorFiles.apply(dir.resolve(keyAndPath[keyAndPath.length - 1]));
            data.put(keyAndPath.length == 2 ? keyAndPath[0] : path.getFileName().toString(), read(path));
        }
        boolean hashed = !generator.path("options").path("disableNameSuffixHash").asBoolean(false);
        JsonNode labels = generator.path("options").path("labels");
        Resource existing = resources.stream().filter(r -> r.node.path("kind").asText().equals(kind) && name(r.node).equals(name))
                .findFirst().orElse(null);
        String behavior = generator.path("behavior").asText("create");
        switch (behavior) {
            case "create" -> {
                require(existing == null, dir + ": " + kind + " " + name + " exists: behavior must be merge or replace");
                ObjectNode node = YAML.createObjectNode().put("apiVersion", "v1").put("kind", kind);
                node.putObject("metadata").put("name", name);
                if (kind.equals("Secret")) {
                    node.put("type", "Opaque");
                }
                resources.add(new Resource(node, hashed));
                existing = resources.get(resources.size() - 1);
            }
            // the hash is the merged resource's: a generated one keeps it, one read from a file gets none
            case "merge" -> require(existing != null, dir + ": no " + kind + " " + name + " to merge into");
            case "replace" -> {
                require(existing != null, dir + ": no " + kind + " " + name + " to replace");
                existing.node.remove("data");
                existing.hashed = hashed;
            }
            default -> throw new AssertionError(dir + ": unknown behavior " + behavior);
        }
        ObjectNode target = existing.node.has("data") ? (ObjectNode) existing.node.get("data") : existing.node.putObject("data");
        data.forEach((key, value) -> target.put(key, kind.equals("Secret")
                ? Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) : value));
        if (!labels.isMissingNode()) {
            labelsOf(existing.node).setAll((ObjectNode) labels);
        }
    }

    private Map<String, String> envFile(Path file) {
        return envLines(read(file).lines().toList(), file.toString());
    }

    /** kustomize's env file: KEY=VALUE per line, # comments and blank lines skipped, the value as written. */
    private static Map<String, String> envLines(List<String> lines, String source) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String raw : lines) {
            String line = raw.stripLeading();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            require(eq > 0, source + ": '" + raw + "' has no value (kustomize would take it from its own environment)");
            String value = line.substring(eq + 1);
            require(!value.startsWith("\"") && !value.startsWith("'"), source + ": write " + line.substring(0, eq)
                    + " unquoted; kustomize keeps quotes in env files");
            values.put(line.substring(0, eq), value);
        }
        return values;
    }

    private static void patch(Path dir, JsonNode entry, List<Resource> resources) {
        entry.fieldNames().forEachRemaining(f -> require(f.equals("path"), dir + ": unsupported patch field " + f));
        for (JsonNode patch : readAll(dir.resolve(entry.path("path").asText()))) {
            String kind = patch.path("kind").asText();
            String name = name(patch);
            Resource target = resources.stream().filter(r -> r.node.path("kind").asText().equals(kind) && name(r.node).equals(name))
                    .findFirst().orElseThrow(() -> new AssertionError(dir + ": the patch's target " + kind + " " + name + " is not there"));
            StrategicMerge.apply(target.node, patch);
        }
    }

    private static void label(JsonNode entry, List<Resource> resources) {
        require(!entry.path("includeSelectors").asBoolean(false), "labels with includeSelectors are not implemented");
        boolean templates = entry.path("includeTemplates").asBoolean(false);
        for (Resource r : resources) {
            labelsOf(r.node).setAll((ObjectNode) entry.path("pairs").deepCopy());
            if (templates && WORKLOADS.contains(r.node.path("kind").asText())) {
                labelsOf((ObjectNode) r.node.path("spec").path("template")).setAll((ObjectNode) entry.path("pairs").deepCopy());
            }
        }
    }

    private static void replicas(JsonNode entry, List<Resource> resources) {
        List<Resource> targets = resources.stream().filter(r -> WORKLOADS.contains(r.node.path("kind").asText())
                && name(r.node).equals(entry.path("name").asText())).toList();
        require(!targets.isEmpty(), "replicas: no workload " + entry.path("name").asText());
        targets.forEach(r -> ((ObjectNode) r.node.get("spec")).put("replicas", entry.path("count").asInt()));
    }

    /** kustomize's image transformer: every containers[].image and initContainers[].image of that name. */
    private static void image(JsonNode entry, JsonNode node) {
        entry.fieldNames().forEachRemaining(f -> require(Set.of("name", "newName", "newTag", "digest").contains(f),
                "unsupported images field " + f));
        if (node.isArray()) {
            node.forEach(child -> image(entry, child));
            return;
        }
        node.fields().forEachRemaining(field -> {
            if ((field.getKey().equals("containers") || field.getKey().equals("initContainers")) && field.getValue().isArray()) {
                field.getValue().forEach(container -> retag(entry, (ObjectNode) container));
            } else if (field.getValue().isContainerNode()) {
                image(entry, field.getValue());
            }
        });
    }

    private static void retag(JsonNode entry, ObjectNode container) {
        String image = container.path("image").asText();
        int at = image.indexOf('@');
        String withoutDigest = at >= 0 ? image.substring(0, at) : image;
        int colon = withoutDigest.lastIndexOf(':');
        String name = colon > withoutDigest.lastIndexOf('/') ? withoutDigest.substring(0, colon) : withoutDigest;
        if (!name.equals(entry.path("name").asText())) {
            return;
        }
        String newName = entry.path("newName").asText(name);
        String reference = entry.has("digest") ? "@" + entry.get("digest").asText()
                : entry.has("newTag") ? ":" + entry.get("newTag").asText() : image.substring(name.length());
        container.put("image", newName + reference);
    }

    /** kustomize's name references: where a pod refers to a ConfigMap or Secret whose name got its hash. */
    private static void rename(JsonNode node, String namespace, Map<String, String> renamed) {
        if (node.isArray()) {
            node.forEach(child -> rename(child, namespace, renamed));
            return;
        }
        node.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            String kind = switch (field.getKey()) {
                case "configMapRef", "configMapKeyRef", "configMap" -> "ConfigMap";
                case "secretRef", "secretKeyRef", "secret", "imagePullSecrets" -> "Secret";
                default -> null;
            };
            if (kind != null) {
                Iterable<JsonNode> refs = value.isArray() ? value : List.of(value);
                for (JsonNode ref : refs) {
                    String key = ref.has("secretName") ? "secretName" : "name";
                    String to = renamed.get(kind + "/" + namespace + "/" + ref.path(key).asText());
                    if (to != null) {
                        ((ObjectNode) ref).put(key, to);
                    }
                }
            } else if (value.isContainerNode()) {
                rename(value, namespace, renamed);
            }
        });
    }

    private static ObjectNode metadata(ObjectNode node) {
        return node.has("metadata") ? (ObjectNode) node.get("metadata") : node.putObject("metadata");
    }

    private static ObjectNode labelsOf(ObjectNode node) {
        ObjectNode metadata = metadata(node);
        return metadata.has("labels") ? (ObjectNode) metadata.get("labels") : metadata.putObject("labels");
    }

    private static String name(JsonNode node) {
        return node.path("metadata").path("name").asText();
    }

    private static String namespace(JsonNode node) {
        return node.path("metadata").path("namespace").asText();
    }

    static List<JsonNode> readAll(Path file) {
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            return docs.readAll().stream().filter(doc -> !doc.isNull() && !doc.isMissingNode()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
