package io.sensorrollup.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The Kubernetes manifests in k8s/ keep the properties the service's guarantees rely on. */
class KubernetesManifestsTest {

    private static final Path K8S = Path.of(System.getProperty("sensorrollup.repo", ".")).resolve("k8s");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern SECRETISH = Pattern.compile(".*(PASSWORD|SECRET|TOKEN|ACCESS_KEY).*");
    /** The final checkpoint waits up to 30 s (CheckpointScheduler); the pod must get longer. */
    private static final int FINAL_CHECKPOINT_BUDGET_SECONDS = 30;

    @Test
    void everyManifestParsesAndKustomizationsReferenceFilesThatExist() throws IOException {
        List<Path> files = yamlFiles();
        assertTrue(files.size() >= 8, files.toString());
        for (Path file : files) {
            JsonNode doc = YAML.readTree(file.toFile());
            if (file.getFileName().toString().equals("kustomization.yaml")) {
                for (String list : List.of("resources", "patches")) {
                    for (JsonNode entry : doc.path(list)) {
                        String ref = entry.isTextual() ? entry.asText() : entry.path("path").asText();
                        assertTrue(Files.exists(file.resolveSibling(ref)), file + " refers to missing " + ref);
                    }
                }
            } else {
                assertFalse(doc.path("kind").asText().isEmpty(), file + " has no kind");
            }
        }
        JsonNode overlay = YAML.readTree(K8S.resolve("overlays/local/kustomization.yaml").toFile());
        assertTrue(overlay.path("resources").toString().contains("../../base"), "the local overlay builds on base");
    }

    @Test
    void theStatefulSetHasAHeadlessServiceAVolumePerPodProbesResourcesAndScrapeAnnotations() throws IOException {
        JsonNode set = YAML.readTree(K8S.resolve("base/statefulset.yaml").toFile());
        JsonNode headless = YAML.readTree(K8S.resolve("base/service-headless.yaml").toFile());
        assertEquals("StatefulSet", set.path("kind").asText());
        assertEquals(headless.path("metadata").path("name").asText(), set.path("spec").path("serviceName").asText());
        assertEquals("None", headless.path("spec").path("clusterIP").asText());

        JsonNode pod = set.path("spec").path("template");
        JsonNode container = pod.path("spec").path("containers").get(0);
        String stateDir = env(container, "ROLLUP_STATE_DIR").path("value").asText();
        String claim = set.path("spec").path("volumeClaimTemplates").get(0).path("metadata").path("name").asText();
        assertTrue(container.path("volumeMounts").findValuesAsText("mountPath").contains(stateDir), "state dir on the pod's volume");
        assertTrue(container.path("volumeMounts").findValuesAsText("name").contains(claim));

        assertEquals("/q/health/started", container.path("startupProbe").path("httpGet").path("path").asText());
        assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText());
        assertEquals("/q/health/live", container.path("livenessProbe").path("httpGet").path("path").asText());
        assertFalse(container.path("resources").path("requests").path("memory").isMissingNode());
        assertFalse(container.path("resources").path("limits").path("memory").isMissingNode());

        JsonNode annotations = pod.path("metadata").path("annotations");
        assertEquals("true", annotations.path("prometheus.io/scrape").asText());
        assertEquals("/q/metrics", annotations.path("prometheus.io/path").asText());

        assertTrue(pod.path("spec").path("terminationGracePeriodSeconds").asInt() > FINAL_CHECKPOINT_BUDGET_SECONDS,
                "time for the final checkpoint at SIGTERM");
        assertEquals("metadata.name", env(container, "HOSTNAME").path("valueFrom").path("fieldRef").path("fieldPath").asText(),
                "the pod name is the Failover consumer name");
        assertEquals("sensor-rollup-config", container.path("envFrom").get(0).path("configMapRef").path("name").asText());
    }

    @Test
    void noSecretValueIsWrittenInAManifest() throws IOException {
        for (Path file : yamlFiles()) {
            JsonNode doc = YAML.readTree(file.toFile());
            for (JsonNode env : doc.findValues("env")) {
                for (JsonNode var : env) {
                    if (SECRETISH.matcher(var.path("name").asText()).matches()) {
                        assertTrue(var.path("value").isMissingNode(), file + ": " + var.path("name").asText() + " has a literal value");
                        assertFalse(var.path("valueFrom").path("secretKeyRef").isMissingNode(), file + ": " + var + " not from a Secret");
                    }
                }
            }
            if (doc.path("kind").asText().equals("ConfigMap")) {
                doc.path("data").fieldNames().forEachRemaining(key -> assertFalse(SECRETISH.matcher(key).matches(),
                        file + ": secret-like key " + key + " in a ConfigMap"));
            }
            assertFalse(doc.path("kind").asText().equals("Secret") && doc.has("data"), file + " is a Secret with values");
        }
        Set<String> ignored = Set.copyOf(Files.readAllLines(K8S.resolveSibling(".gitignore")));
        assertTrue(ignored.contains("k8s/overlays/local/secrets.env"), "the overlay's secrets file is never committed");
    }

    /** The optional autoscaler scales this StatefulSet on this subscription, never past the partition count. */
    @Test
    void theAutoscalerScalesTheStatefulSetOnItsBacklogUpToThePartitionCountAndDownSlowly() throws IOException {
        JsonNode scaler = YAML.readTree(K8S.resolve("autoscaling/scaledobject.yaml").toFile());
        JsonNode config = YAML.readTree(K8S.resolve("base/configmap.yaml").toFile()).path("data");
        JsonNode set = YAML.readTree(K8S.resolve("base/statefulset.yaml").toFile());
        JsonNode spec = scaler.path("spec");
        assertEquals("ScaledObject", scaler.path("kind").asText());
        assertEquals("StatefulSet", spec.path("scaleTargetRef").path("kind").asText());
        assertEquals(set.path("metadata").path("name").asText(), spec.path("scaleTargetRef").path("name").asText());
        assertEquals(config.path("ROLLUP_SOURCE_PARTITIONS").asInt(), spec.path("maxReplicaCount").asInt(),
                "a pod beyond the partition count owns nothing");
        assertTrue(spec.path("minReplicaCount").asInt() >= 2, "one pod's loss leaves another");

        JsonNode trigger = spec.path("triggers").get(0);
        assertEquals("pulsar", trigger.path("type").asText());
        JsonNode metadata = trigger.path("metadata");
        assertEquals(config.path("PULSAR_ADMIN_URL").asText(), metadata.path("adminURL").asText());
        assertEquals(config.path("ROLLUP_SOURCE_TOPIC").asText(), metadata.path("topic").asText());
        assertEquals("true", metadata.path("isPartitionedTopic").asText(), "the backlog of every partition");
        java.util.Properties properties = new java.util.Properties();
        try (var in = Files.newInputStream(K8S.resolveSibling("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        assertEquals(properties.getProperty("rollup.source.subscription"), metadata.path("subscription").asText());

        JsonNode down = spec.path("advanced").path("horizontalPodAutoscalerConfig").path("behavior").path("scaleDown");
        assertTrue(down.path("stabilizationWindowSeconds").asInt() >= 300, "partitions must not flap: " + down);
        JsonNode component = YAML.readTree(K8S.resolve("autoscaling/kustomization.yaml").toFile());
        assertEquals("Component", component.path("kind").asText(), "optional: an overlay lists it under components");
    }

    /**
     * Issue 12 item 13: at the documented settings a pod cannot outgrow its limit. The formula of
     * k8s/base/configmap.yaml, for the base and each overlay that patches the ConfigMap or the limit.
     */
    @Test
    void theDocumentedMemorySettingsFitTheLimit() throws IOException {
        JsonNode base = YAML.readTree(K8S.resolve("base/configmap.yaml").toFile()).path("data");
        long baseLimit = mib(container(YAML.readTree(K8S.resolve("base/statefulset.yaml").toFile()))
                .path("resources").path("limits").path("memory").asText());
        assertFits("base", base, baseLimit);

        JsonNode local = ((com.fasterxml.jackson.databind.node.ObjectNode) base.deepCopy())
                .setAll((com.fasterxml.jackson.databind.node.ObjectNode) YAML.readTree(
                        K8S.resolve("overlays/local/config.yaml").toFile()).path("data"));
        long localLimit = mib(container(YAML.readTree(K8S.resolve("overlays/local/resources.yaml").toFile()))
                .path("resources").path("limits").path("memory").asText());
        assertFits("overlays/local", local, localLimit);
    }

    private static void assertFits(String manifests, JsonNode config, long limitMib) {
        String jvm = config.path("JAVA_OPTS_APPEND").asText();
        long partitions = config.path("ROLLUP_SOURCE_PARTITIONS").asLong();
        long cache = mib(config.path("ROLLUP_STATE_CACHE_PER_PARTITION").asText());
        long blockCache = mib(config.path("ROLLUP_STATE_BLOCK_CACHE").asText());
        long writeBuffers = mib(config.path("ROLLUP_STATE_WRITE_BUFFERS").asText());
        java.util.regex.Matcher xmx = Pattern.compile("-Xmx(\\S+)").matcher(jvm);
        java.util.regex.Matcher direct = Pattern.compile("-XX:MaxDirectMemorySize=(\\S+)").matcher(jvm);
        assertTrue(xmx.find(), manifests + ": the heap is set in MiB (-Xmx), not as a share of the limit: " + jvm);
        assertTrue(direct.find(), manifests + ": the Pulsar client's receive queues (direct memory) need a cap: " + jvm);
        long heap = mib(xmx.group(1));
        long needed = partitions * cache + partitions * 5 * 8 + 8 + 192;
        assertTrue(heap >= needed, manifests + ": -Xmx" + heap + "m < " + needed + " MiB of caches, queued payloads, headroom");
        assertTrue(writeBuffers <= blockCache, manifests + ": the write buffers are charged to the block cache");
        double pod = (heap + blockCache + mib(direct.group(1)) + 300) * 1.1;
        assertTrue(pod <= limitMib, manifests + ": " + pod + " MiB do not fit the limit of " + limitMib + " MiB");
        assertTrue(jvm.contains("-XX:SharedArchiveFile=app-cds.jsa"), manifests + ": JAVA_OPTS_APPEND replaces the image's");
    }

    /** 256M, 2Gi, 1280Mi, 896m in MiB. */
    private static long mib(String size) {
        java.util.regex.Matcher m = Pattern.compile("(\\d+)([KkMmGg])i?").matcher(size.trim());
        assertTrue(m.matches(), "not a size: " + size);
        long n = Long.parseLong(m.group(1));
        return switch (Character.toUpperCase(m.group(2).charAt(0))) {
            case 'K' -> n / 1024;
            case 'M' -> n;
            default -> n * 1024;
        };
    }

    private static JsonNode container(JsonNode statefulSet) {
        return statefulSet.path("spec").path("template").path("spec").path("containers").get(0);
    }

    private static JsonNode env(JsonNode container, String name) {
        for (JsonNode var : container.path("env")) {
            if (var.path("name").asText().equals(name)) {
                return var;
            }
        }
        throw new AssertionError("no env " + name);
    }

    private static List<Path> yamlFiles() throws IOException {
        try (Stream<Path> s = Files.walk(K8S)) {
            return new ArrayList<>(s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList());
        }
    }
}
