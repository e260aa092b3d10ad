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
    /** The final checkpoint waits up to 20 s (CheckpointScheduler); the pod must get longer. */
    private static final int FINAL_CHECKPOINT_BUDGET_SECONDS = 20;

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
