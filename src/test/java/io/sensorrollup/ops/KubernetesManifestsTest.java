package io.sensorrollup.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sensorrollup.partition.runtime.OutboxLimitConfig;
import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests in k8s/, rendered as {@code kubectl apply -k} would ({@link Kustomize}), base and every
 * overlay, keep the properties the service's guarantees and its operators rely on.
 */
class KubernetesManifestsTest {

    private static final Path REPO = Path.of(System.getProperty("sensorrollup.repo", "."));
    private static final Path K8S = REPO.resolve("k8s");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern SECRETISH = Pattern.compile(".*(PASSWORD|SECRET|TOKEN|ACCESS_KEY).*");
    /** The final checkpoint waits up to 30 s (CheckpointScheduler); the pod must get longer. */
    private static final int FINAL_CHECKPOINT_BUDGET_SECONDS = 30;
    /** Metrics of kube-state-metrics, the kubelet and Prometheus itself that the alerts may use. */
    private static final Set<String> EXTERNAL_METRICS = Set.of("up", "kube_pod_container_status_restarts_total",
            "kube_pod_container_status_last_terminated_reason", "kubelet_volume_stats_available_bytes",
            "kubelet_volume_stats_capacity_bytes");
    private static final Map<String, List<ObjectNode>> RENDERED = renderAll();

    /** base and every overlay, by directory under k8s/. */
    private static Map<String, List<ObjectNode>> renderAll() {
        Map<String, List<ObjectNode>> rendered = new LinkedHashMap<>();
        rendered.put("base", render(K8S.resolve("base")));
        try (Stream<Path> overlays = Files.list(K8S.resolve("overlays"))) {
            overlays.sorted().forEach(dir -> rendered.put("overlays/" + dir.getFileName(), render(dir)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return rendered;
    }

    /** git ignores the overlays' secrets files: their examples stand in for them. */
    private static List<ObjectNode> render(Path dir) {
        return Kustomize.build(dir, file -> Files.exists(file) ? file : file.resolveSibling(file.getFileName() + ".example"));
    }

    @Test
    void everyOverlayRendersAndEveryConfigMapAndSecretItsPodsUseIsInIt() {
        assertTrue(RENDERED.keySet().containsAll(List.of("overlays/local", "overlays/prod")), RENDERED.keySet().toString());
        RENDERED.forEach((name, resources) -> {
            JsonNode container = container(statefulSet(resources));
            List<String> configMaps = container.path("envFrom").findValuesAsText("name");
            assertFalse(configMaps.isEmpty(), name);
            configMaps.forEach(cm -> assertEquals(1, named(resources, "ConfigMap", cm).size(), name + ": ConfigMap " + cm));
            if (name.equals("base")) {
                return; // the Secret comes from an overlay
            }
            for (JsonNode var : container.path("env")) {
                JsonNode ref = var.path("valueFrom").path("secretKeyRef");
                if (!ref.isMissingNode()) {
                    List<ObjectNode> secret = named(resources, "Secret", ref.path("name").asText());
                    assertEquals(1, secret.size(), name + ": Secret " + ref.path("name").asText());
                    assertTrue(ref.path("optional").asBoolean() || secret.get(0).path("data").has(ref.path("key").asText()),
                            name + ": the Secret has no " + ref.path("key").asText());
                }
            }
        });
    }

    /** kustomize's own hashes of its tests (api/hasher/hasher_test.go): the renderer names what it generates alike. */
    @Test
    void theRendererHashesGeneratedNamesAsKustomizeDoes() throws IOException {
        assertEquals("9g67k2htb6", KustomizeHash.of(YAML.readTree("{kind: ConfigMap, data: {one: ''}}")));
        assertEquals("6ct58987ht", KustomizeHash.of(YAML.readTree("{kind: ConfigMap}")));
        assertEquals("74bd68bm66", KustomizeHash.of(YAML.readTree("{kind: Secret, type: my-type, data: {one: ''}}")));
    }

    @Test
    void theStatefulSetHasAHeadlessServiceAVolumePerPodProbesWithTimeoutsAndScrapeAnnotations() {
        RENDERED.forEach((name, resources) -> {
            JsonNode set = statefulSet(resources);
            JsonNode headless = named(resources, "Service", set.path("spec").path("serviceName").asText()).get(0);
            assertEquals("None", headless.path("spec").path("clusterIP").asText(), name);

            JsonNode pod = set.path("spec").path("template");
            JsonNode container = container(set);
            String stateDir = env(container, "ROLLUP_STATE_DIR").path("value").asText();
            String claim = set.path("spec").path("volumeClaimTemplates").get(0).path("metadata").path("name").asText();
            assertEquals(claim, mount(container, stateDir).path("name").asText(), name + ": state dir on the pod's volume");

            Map<String, String> paths = Map.of("startupProbe", "/q/health/started", "readinessProbe", "/q/health/ready",
                    "livenessProbe", "/q/health/live");
            paths.forEach((probe, path) -> {
                assertEquals(path, container.path(probe).path("httpGet").path("path").asText(), name + " " + probe);
                int timeout = container.path(probe).path("timeoutSeconds").asInt(1);
                assertTrue(timeout >= 3 && timeout <= 5, name + " " + probe + ": a timeout of 3-5 s, not " + timeout);
            });

            JsonNode annotations = pod.path("metadata").path("annotations");
            assertEquals("true", annotations.path("prometheus.io/scrape").asText(), name);
            assertEquals("/q/metrics", annotations.path("prometheus.io/path").asText(), name);
            assertTrue(pod.path("spec").path("terminationGracePeriodSeconds").asInt() > FINAL_CHECKPOINT_BUDGET_SECONDS,
                    name + ": time for the final checkpoint at SIGTERM");
            assertEquals("metadata.name", env(container, "HOSTNAME").path("valueFrom").path("fieldRef").path("fieldPath").asText(),
                    name + ": the pod name is the Failover consumer name");
        });
    }

    @Test
    void aDrainEvictsOnePodAtATimeAndPodsSpreadOverNodesAndZones() {
        RENDERED.forEach((name, resources) -> {
            JsonNode set = statefulSet(resources);
            JsonNode pdb = one(resources, "PodDisruptionBudget");
            assertEquals("policy/v1", pdb.path("apiVersion").asText(), name);
            assertEquals(1, pdb.path("spec").path("maxUnavailable").asInt(), name);
            assertFalse(pdb.path("spec").has("minAvailable"), name);
            assertEquals("AlwaysAllow", pdb.path("spec").path("unhealthyPodEvictionPolicy").asText(),
                    name + ": a pod that is not ready must not block a drain");
            assertSelectsExactlyThePods(name + " PDB", pdb.path("spec").path("selector"), set);

            Map<String, JsonNode> spread = new HashMap<>();
            set.path("spec").path("template").path("spec").path("topologySpreadConstraints")
                    .forEach(c -> spread.put(c.path("topologyKey").asText(), c));
            JsonNode host = spread.get("kubernetes.io/hostname");
            JsonNode zone = spread.get("topology.kubernetes.io/zone");
            assertTrue(host != null && zone != null, name + ": spread by host and zone: " + spread.keySet());
            assertEquals("DoNotSchedule", host.path("whenUnsatisfiable").asText(), name + ": never all pods on one node");
            assertEquals("Honor", host.path("nodeTaintsPolicy").asText(), name + ": a cordoned node must not block scheduling");
            assertEquals("ScheduleAnyway", zone.path("whenUnsatisfiable").asText(), name + ": zonal volumes pin pods to zones");
            for (JsonNode constraint : List.of(host, zone)) {
                assertEquals(1, constraint.path("maxSkew").asInt(), name);
                assertSelectsExactlyThePods(name + " spread", constraint.path("labelSelector"), set);
            }
        });
    }

    /** Pod Security "restricted", one user for both images, and a writable /tmp beside a read-only root. */
    @Test
    void podsMeetPodSecurityRestrictedWithTheImagesUserAndAWritableTmp() throws IOException {
        String jvmUser = user(REPO.resolve("src/main/docker/Dockerfile.jvm"));
        assertEquals(jvmUser, user(REPO.resolve("native/Dockerfile.native")), "both images run as one user");
        RENDERED.forEach((name, resources) -> {
            JsonNode podSpec = statefulSet(resources).path("spec").path("template").path("spec");
            JsonNode pod = podSpec.path("securityContext");
            JsonNode container = container(statefulSet(resources));
            JsonNode security = container.path("securityContext");
            assertTrue(pod.path("runAsNonRoot").asBoolean(), name);
            assertEquals(jvmUser, pod.path("runAsUser").asText(), name + ": the images' user");
            assertFalse(security.has("runAsUser") || security.has("privileged") || podSpec.has("hostNetwork")
                    || podSpec.has("hostPID") || podSpec.has("hostIPC"), name);
            assertEquals("RuntimeDefault", pod.path("seccompProfile").path("type").asText(), name);
            assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true), name);
            assertEquals("[\"ALL\"]", security.path("capabilities").path("drop").toString(), name);
            assertFalse(security.path("capabilities").has("add"), name);
            assertTrue(security.path("readOnlyRootFilesystem").asBoolean(), name);

            String tmp = mount(container, "/tmp").path("name").asText();
            boolean tmpIsEmptyDir = false;
            for (JsonNode volume : podSpec.path("volumes")) {
                tmpIsEmptyDir |= volume.path("name").asText().equals(tmp) && volume.has("emptyDir");
                assertTrue(volume.has("emptyDir") || volume.has("configMap") || volume.has("secret") || volume.has("projected")
                        || volume.has("persistentVolumeClaim"), name + ": a volume type restricted allows: " + volume);
            }
            assertTrue(tmpIsEmptyDir, name + ": RocksDB unpacks its library into /tmp");
            assertFalse(podSpec.toString().contains("hostPort"), name);
        });
    }

    /** The image's flags (class-data archive, log manager) survive the pod's JAVA_OPTS_APPEND. */
    @Test
    void theImagesJvmFlagsSurviveTheDeploymentsOwn() {
        Map<String, String> image = JvmOptions.imageEnv(REPO.resolve("src/main/docker/Dockerfile.jvm"));
        Map<String, String> imageFlags = JvmOptions.effective(image, Map.of());
        assertEquals("app-cds.jsa", imageFlags.get("-XX:SharedArchiveFile"), imageFlags.toString());
        assertEquals("org.jboss.logmanager.LogManager", imageFlags.get("-Djava.util.logging.manager"));
        // what the fix is for: before it, a pod's JAVA_OPTS_APPEND replaced the archive and the log manager
        assertFalse(JvmOptions.effective(Map.of("JAVA_OPTS_APPEND", image.getOrDefault("JDK_JAVA_OPTIONS", "")),
                Map.of("JAVA_OPTS_APPEND", "-Xmx1g")).containsKey("-XX:SharedArchiveFile"));
        RENDERED.forEach((name, resources) -> {
            Map<String, String> pod = podEnv(resources);
            assertTrue(pod.containsKey("JAVA_OPTS_APPEND"), name);
            Map<String, String> flags = JvmOptions.effective(image, pod);
            for (String flag : List.of("-XX:SharedArchiveFile", "-Djava.util.logging.manager", "-Dquarkus.http.host")) {
                assertEquals(imageFlags.get(flag), flags.get(flag), name + ": " + flag + " lost in " + flags);
            }
        });
    }

    /**
     * At the documented settings a pod cannot outgrow its limit: the formula of k8s/base/config.env, for the
     * rendered configuration and limit of base and every overlay, with the flags the JVM really gets.
     */
    @Test
    void theDocumentedMemorySettingsFitTheLimit() {
        Map<String, String> image = JvmOptions.imageEnv(REPO.resolve("src/main/docker/Dockerfile.jvm"));
        RENDERED.forEach((name, resources) -> {
            Map<String, String> config = podEnv(resources);
            JsonNode resourcesOfPod = container(statefulSet(resources)).path("resources");
            long limit = mib(resourcesOfPod.path("limits").path("memory").asText());
            Map<String, String> jvm = JvmOptions.effective(image, config);
            long partitions = Long.parseLong(config.get("ROLLUP_SOURCE_PARTITIONS"));
            long cache = mib(config.get("ROLLUP_STATE_CACHE_PER_PARTITION"));
            long blockCache = mib(config.get("ROLLUP_STATE_BLOCK_CACHE"));
            assertTrue(mib(config.get("ROLLUP_STATE_WRITE_BUFFERS")) <= blockCache, name + ": the write buffers are charged to the block cache");
            long heap = jvm.containsKey("-Xmx") ? mib(jvm.get("-Xmx"))
                    : (long) (limit * Double.parseDouble(jvm.getOrDefault("-XX:MaxRAMPercentage", "25")) / 100);
            long needed = partitions * cache + partitions * 40 + 200;
            assertTrue(heap >= needed, name + ": a heap of " + heap + " MiB < " + needed + " MiB of caches and client buffers");
            assertTrue(jvm.containsKey("-XX:MaxDirectMemorySize"), name + ": the receive queues' direct memory needs a cap: " + jvm);
            assertTrue(jvm.containsKey("-XX:MaxMetaspaceSize"), name + ": metaspace needs a cap: " + jvm);
            double pod = (heap + blockCache + mib(jvm.get("-XX:MaxDirectMemorySize")) + mib(jvm.get("-XX:MaxMetaspaceSize")) + 150) * 1.1;
            assertTrue(pod <= limit, name + ": " + pod + " MiB do not fit the limit of " + limit + " MiB");
            assertEquals("2", config.get("MALLOC_ARENA_MAX"), name + ": glibc arenas bounded");
            assertFalse(resourcesOfPod.path("limits").path("cpu").isMissingNode(), name + ": the JVM sizes its pools to the CPU limit");
            assertFalse(resourcesOfPod.path("requests").path("cpu").isMissingNode(), name);
            assertEquals(resourcesOfPod.path("requests").path("memory"), resourcesOfPod.path("limits").path("memory"), name);
        });
        assertEquals(2048, mib(container(statefulSet(RENDERED.get("base"))).path("resources").path("limits").path("memory").asText()),
                "the defaults fit 2 GiB");
    }

    /** The PodMonitor scrapes the StatefulSet's pods: its selector matches their labels and is no broader than the set's. */
    @Test
    void thePodMonitorScrapesThePodsOfTheStatefulSetAndNoOthers() {
        assertFalse(all(RENDERED.get("overlays/prod"), "PodMonitor").isEmpty(), "prod is monitored");
        RENDERED.forEach((name, resources) -> {
            for (JsonNode monitor : all(resources, "PodMonitor")) {
                JsonNode set = statefulSet(resources);
                assertSelectsExactlyThePods(name + " PodMonitor", monitor.path("spec").path("selector"), set);
                assertFalse(monitor.path("spec").has("namespaceSelector"), name + ": its own namespace only");
                JsonNode endpoint = monitor.path("spec").path("podMetricsEndpoints").get(0);
                assertEquals("/q/metrics", endpoint.path("path").asText(), name);
                assertTrue(container(set).path("ports").findValuesAsText("name").contains(endpoint.path("port").asText()), name);
            }
        });
    }

    /**
     * Every metric an alert queries is one the service exports (or kube-state-metrics', the kubelet's); the
     * alerts the issue asks for are there.
     */
    @Test
    void everyAlertQueriesMetricsThatExist() {
        Set<String> exported = ExportedMetrics.of(REPO.resolve("src/main/java"));
        assertTrue(exported.containsAll(List.of("rollup_checkpoint_last_completed_timestamp_seconds",
                "rollup_checkpoint_duration_seconds_count", "rollup_checkpoint_duration_seconds_bucket",
                "rollup_readings_received_total", "rollup_source_backlog_messages", "rollup_outbox_rows")), exported.toString());
        for (JsonNode rule : rules(RENDERED.get("overlays/prod"))) {
            Set<String> names = PromQl.metricNames(rule.path("expr").asText());
            assertFalse(names.isEmpty(), rule.toString());
            for (String metric : names) {
                assertTrue(exported.contains(metric) || EXTERNAL_METRICS.contains(metric),
                        rule.path("alert").asText() + " queries " + metric + ", which nothing exports");
            }
            assertFalse(rule.path("labels").path("severity").asText().isEmpty(), rule.toString());
            assertFalse(rule.path("annotations").path("summary").asText().isEmpty(), rule.toString());
        }
        Map<String, String> required = Map.of("SensorRollupCheckpointsStalled", "rollup_checkpoint_last_completed_timestamp_seconds",
                "SensorRollupCheckpointsFailing", "rollup_checkpoint_failures_total",
                "SensorRollupLagGrowing", "rollup_source_backlog_messages",
                "SensorRollupWatermarkLagGrowing", "rollup_watermark_lag_seconds",
                "SensorRollupDeadLetterRateHigh", "rollup_dead_letters_total",
                "SensorRollupPartitionsUnowned", "rollup_partitions_owned",
                "SensorRollupOutboxNearlyFull", "rollup_outbox_rows",
                "SensorRollupVolumeFilling", "kubelet_volume_stats_available_bytes",
                "SensorRollupRestarting", "kube_pod_container_status_restarts_total",
                "SensorRollupOOMKilled", "kube_pod_container_status_last_terminated_reason");
        required.forEach((alert, metric) -> assertTrue(PromQl.metricNames(rule(alert).path("expr").asText()).contains(metric), alert));
    }

    /** Thresholds and label matchers of the alerts follow the configuration and the names the manifests give. */
    @Test
    void alertThresholdsAndSelectorsFollowTheConfiguration() throws IOException {
        List<ObjectNode> prod = RENDERED.get("overlays/prod");
        Map<String, String> config = podEnv(prod);
        JsonNode set = statefulSet(prod);

        long maxOutbox = config.containsKey("ROLLUP_SINK_MAX_OUTBOX") ? Long.parseLong(config.get("ROLLUP_SINK_MAX_OUTBOX"))
                : Long.parseLong(properties().getProperty("rollup.sink.max-outbox", defaultOf(OutboxLimitConfig.class, "maxOutbox")));
        assertEquals(maxOutbox * 8 / 10, threshold("SensorRollupOutboxNearlyFull", "rollup_outbox_rows"), "80 % of max-outbox");

        long interval = Duration.parse("PT" + config.get("ROLLUP_CHECKPOINT_INTERVAL").toUpperCase()).toSeconds();
        long stale = threshold("SensorRollupCheckpointsStalled", "rollup_checkpoint_last_completed_timestamp_seconds");
        assertTrue(stale >= 5 * interval, "stalled after " + stale + " s, with a checkpoint every " + interval + " s");

        String setName = set.path("metadata").path("name").asText();
        String claim = set.path("spec").path("volumeClaimTemplates").get(0).path("metadata").path("name").asText();
        String containerName = container(set).path("name").asText();
        JsonNode monitor = one(prod, "PodMonitor");
        String job = set.path("spec").path("template").path("metadata").path("labels")
                .path(monitor.path("spec").path("jobLabel").asText()).asText();
        assertFalse(job.isEmpty(), "the PodMonitor's jobLabel is a label of the pods");
        for (JsonNode rule : rules(prod)) {
            String expr = rule.path("expr").asText();
            matchers(expr, "persistentvolumeclaim=~").forEach(regex -> {
                assertTrue((claim + "-" + setName + "-0").matches(regex) && (claim + "-" + setName + "-12").matches(regex), regex);
                assertFalse((claim + "-" + setName + "-other-0").matches(regex), regex);
            });
            matchers(expr, "pod=~").forEach(regex -> assertTrue((setName + "-3").matches(regex), regex));
            matchers(expr, "container=").forEach(value -> assertEquals(containerName, value));
            matchers(expr, "job=").forEach(value -> assertEquals(job, value));
        }
        assertTrue(rule("SensorRollupVolumeFilling").path("expr").asText().contains("< 0.15"), "below 15 % free");
    }

    @Test
    void prodPinsItsImageByDigestHashesItsConfigAndSecretAndRunsAsItsServiceAccount() {
        List<ObjectNode> prod = RENDERED.get("overlays/prod");
        JsonNode set = statefulSet(prod);
        assertTrue(container(set).path("image").asText().matches("[^:@]+(:\\d+)?/[^:@]+@sha256:[0-9a-f]{64}"),
                container(set).path("image").asText());
        JsonNode config = one(prod, "ConfigMap", "sensor-rollup-config-");
        JsonNode secret = one(prod, "Secret", "sensor-rollup-secrets-");
        assertEquals("sensor-rollup-config-" + KustomizeHash.of(withName(config, "sensor-rollup-config")),
                config.path("metadata").path("name").asText(), "a change of the ConfigMap rolls the pods");
        assertEquals("sensor-rollup-secrets-" + KustomizeHash.of(withName(secret, "sensor-rollup-secrets")),
                secret.path("metadata").path("name").asText(), "a change of the Secret rolls the pods");
        assertTrue(container(set).path("envFrom").toString().contains(config.path("metadata").path("name").asText()));
        assertTrue(container(set).path("env").toString().contains(secret.path("metadata").path("name").asText()));

        String account = set.path("spec").path("template").path("spec").path("serviceAccountName").asText();
        JsonNode serviceAccount = named(prod, "ServiceAccount", account).get(0);
        assertTrue(serviceAccount.path("metadata").path("annotations").has("eks.amazonaws.com/role-arn"), "IRSA example");
        RENDERED.forEach((name, resources) -> resources.forEach(r -> assertFalse(!name.equals("base") && r.toString().contains(":latest"), name)));
    }

    @Test
    void noSecretValueIsWrittenInAManifest() throws IOException {
        for (Path file : files(".yaml")) {
            for (JsonNode doc : Kustomize.readAll(file)) {
                assertFalse(doc.path("kind").asText().equals("Secret") && (doc.has("data") || doc.has("stringData")),
                        file + " is a Secret with values");
                for (JsonNode env : doc.findValues("env")) {
                    for (JsonNode var : env) {
                        if (var.path("name").asText().endsWith("_FILE")) {
                            // a path into a volume from a Secret (secretFilesAreMountedFromTheSecretsOfTheRender), no value
                            assertTrue(var.path("value").asText().startsWith("/"), file + ": " + var + " is not a path");
                        } else if (SECRETISH.matcher(var.path("name").asText()).matches()) {
                            assertTrue(var.path("value").isMissingNode(), file + ": " + var.path("name").asText() + " has a literal value");
                            assertFalse(var.path("valueFrom").path("secretKeyRef").isMissingNode(), file + ": " + var + " not from a Secret");
                        }
                    }
                }
            }
        }
        RENDERED.forEach((name, resources) -> all(resources, "ConfigMap").forEach(cm -> cm.path("data").fieldNames()
                .forEachRemaining(key -> assertFalse(SECRETISH.matcher(key).matches(), name + ": secret-like key " + key + " in a ConfigMap"))));
        Set<String> ignored = Set.copyOf(Files.readAllLines(REPO.resolve(".gitignore")));
        for (Path example : files(".env.example")) {
            String real = REPO.relativize(example).toString().replace(".example", "");
            assertTrue(ignored.contains(real), real + " is never committed");
        }
    }

    /**
     * Secrets the service reads from files ({@code *_FILE}: the Pulsar token, the database passwords) come from a volume
     * of a Secret: each path lies under the mount of such a volume, and a Secret that is not optional is in the render
     * with the file's key. The CA bundle is mounted from a Secret too.
     */
    @Test
    void secretFilesAreMountedFromTheSecretsOfTheRender() {
        RENDERED.forEach((name, resources) -> {
            JsonNode set = statefulSet(resources);
            JsonNode container = container(set);
            Map<String, JsonNode> volumes = new java.util.HashMap<>();
            set.path("spec").path("template").path("spec").path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
            JsonNode tls = volumes.get(mount(container, "/etc/sensor-rollup/tls").path("name").asText());
            assertTrue(tls.path("secret").has("secretName"), name + ": the CA bundle from a Secret");
            int files = 0;
            for (JsonNode var : container.path("env")) {
                String path = var.path("value").asText();
                if (!var.path("name").asText().endsWith("_FILE")) {
                    continue;
                }
                files++;
                JsonNode mount = null;
                for (JsonNode m : container.path("volumeMounts")) {
                    if (path.startsWith(m.path("mountPath").asText() + "/")) {
                        mount = m;
                    }
                }
                assertTrue(mount != null && mount.path("readOnly").asBoolean(), name + ": " + var + " under no read-only mount");
                JsonNode secret = volumes.get(mount.path("name").asText()).path("secret");
                assertTrue(secret.has("secretName"), name + ": " + var + " not in a volume from a Secret");
                if (name.equals("base") || secret.path("optional").asBoolean()) {
                    continue; // base has no Secret: an overlay generates it
                }
                List<ObjectNode> generated = named(resources, "Secret", secret.path("secretName").asText());
                assertEquals(1, generated.size(), name + ": Secret " + secret.path("secretName").asText());
                String key = path.substring(mount.path("mountPath").asText().length() + 1);
                assertTrue(generated.get(0).path("data").has(key), name + ": the Secret has no " + key + " for " + var);
            }
            assertTrue(files >= 1, name + ": no secret read from a file");
        });
        JsonNode prod = container(statefulSet(RENDERED.get("overlays/prod")));
        assertEquals("/etc/sensor-rollup/secrets/pulsar-token", env(prod, "PULSAR_TOKEN_FILE").path("value").asText());
        assertEquals("/etc/sensor-rollup/tls/ca.pem", podEnv(RENDERED.get("overlays/prod")).get("TLS_CA_FILE"));
    }

    /** The optional autoscaler scales this StatefulSet on this subscription, never past the partition count. */
    @Test
    void theAutoscalerScalesTheStatefulSetOnItsBacklogUpToThePartitionCountAndDownSlowly() throws IOException {
        JsonNode scaler = YAML.readTree(K8S.resolve("autoscaling/scaledobject.yaml").toFile());
        Map<String, String> config = podEnv(RENDERED.get("base"));
        JsonNode spec = scaler.path("spec");
        assertEquals("ScaledObject", scaler.path("kind").asText());
        assertEquals("StatefulSet", spec.path("scaleTargetRef").path("kind").asText());
        assertEquals(statefulSet(RENDERED.get("base")).path("metadata").path("name").asText(), spec.path("scaleTargetRef").path("name").asText());
        assertEquals(Integer.parseInt(config.get("ROLLUP_SOURCE_PARTITIONS")), spec.path("maxReplicaCount").asInt(),
                "a pod beyond the partition count owns nothing");
        assertTrue(spec.path("minReplicaCount").asInt() >= 2, "one pod's loss leaves another");

        JsonNode trigger = spec.path("triggers").get(0);
        assertEquals("pulsar", trigger.path("type").asText());
        JsonNode metadata = trigger.path("metadata");
        assertEquals(config.get("PULSAR_ADMIN_URL"), metadata.path("adminURL").asText());
        assertEquals(config.get("ROLLUP_SOURCE_TOPIC"), metadata.path("topic").asText());
        assertEquals("true", metadata.path("isPartitionedTopic").asText(), "the backlog of every partition");
        assertEquals(properties().getProperty("rollup.source.subscription"), metadata.path("subscription").asText());

        JsonNode down = spec.path("advanced").path("horizontalPodAutoscalerConfig").path("behavior").path("scaleDown");
        assertTrue(down.path("stabilizationWindowSeconds").asInt() >= 300, "partitions must not flap: " + down);
        JsonNode component = YAML.readTree(K8S.resolve("autoscaling/kustomization.yaml").toFile());
        assertEquals("Component", component.path("kind").asText(), "optional: an overlay lists it under components");
    }

    /** k8s/ is the only set of manifests: the build generates none that could disagree with it. */
    @Test
    void theBuildGeneratesNoOtherManifests() throws IOException {
        assertFalse(Files.readString(REPO.resolve("pom.xml")).contains("<artifactId>quarkus-kubernetes</artifactId>"));
        assertFalse(Files.exists(REPO.resolve("src/main/kubernetes")));
    }

    /** The selector matches the pod template's labels and holds every label of the StatefulSet's own selector. */
    private static void assertSelectsExactlyThePods(String what, JsonNode selector, JsonNode statefulSet) {
        JsonNode podLabels = statefulSet.path("spec").path("template").path("metadata").path("labels");
        assertFalse(selector.has("matchExpressions"), what);
        assertFalse(selector.path("matchLabels").isEmpty(), what + ": an empty selector selects everything");
        selector.path("matchLabels").fields().forEachRemaining(label ->
                assertEquals(label.getValue(), podLabels.path(label.getKey()), what + ": the pods' label " + label.getKey()));
        statefulSet.path("spec").path("selector").path("matchLabels").fields().forEachRemaining(label ->
                assertEquals(label.getValue(), selector.path("matchLabels").path(label.getKey()), what + ": broader than the StatefulSet's"));
    }

    /** The container's environment from its ConfigMaps and literal values (what the JVM and the service see). */
    private static Map<String, String> podEnv(List<ObjectNode> resources) {
        JsonNode container = container(statefulSet(resources));
        Map<String, String> env = new HashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            named(resources, "ConfigMap", from.path("configMapRef").path("name").asText())
                    .forEach(cm -> cm.path("data").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText())));
        }
        container.path("env").forEach(var -> {
            if (var.has("value")) {
                env.put(var.path("name").asText(), var.path("value").asText());
            }
        });
        return env;
    }

    private static List<JsonNode> rules(List<ObjectNode> resources) {
        List<JsonNode> rules = new ArrayList<>();
        all(resources, "PrometheusRule").forEach(r -> r.path("spec").path("groups").forEach(g -> g.path("rules").forEach(rules::add)));
        assertTrue(rules.size() >= 10, rules.toString());
        return rules;
    }

    private static JsonNode rule(String alert) {
        return rules(RENDERED.get("overlays/prod")).stream().filter(r -> r.path("alert").asText().equals(alert)).findFirst()
                .orElseThrow(() -> new AssertionError("no alert " + alert));
    }

    /** The number after "<metric>) >" in the alert's expression. */
    private static long threshold(String alert, String metric) {
        Matcher m = Pattern.compile(metric + "\\)\\s*>\\s*(\\d+)").matcher(rule(alert).path("expr").asText());
        assertTrue(m.find(), alert + " compares " + metric + " with a number");
        return Long.parseLong(m.group(1));
    }

    private static List<String> matchers(String expr, String label) {
        Matcher m = Pattern.compile("\\b" + label + "\"([^\"]*)\"").matcher(expr);
        List<String> values = new ArrayList<>();
        while (m.find()) {
            values.add(m.group(1));
        }
        return values;
    }

    private static JsonNode statefulSet(List<ObjectNode> resources) {
        return one(resources, "StatefulSet");
    }

    private static JsonNode container(JsonNode statefulSet) {
        return statefulSet.path("spec").path("template").path("spec").path("containers").get(0);
    }

    private static JsonNode mount(JsonNode container, String path) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mount.path("mountPath").asText().equals(path)) {
                return mount;
            }
        }
        throw new AssertionError("nothing mounted at " + path);
    }

    private static JsonNode env(JsonNode container, String name) {
        for (JsonNode var : container.path("env")) {
            if (var.path("name").asText().equals(name)) {
                return var;
            }
        }
        throw new AssertionError("no env " + name);
    }

    private static List<ObjectNode> all(List<ObjectNode> resources, String kind) {
        return resources.stream().filter(r -> r.path("kind").asText().equals(kind)).toList();
    }

    private static List<ObjectNode> named(List<ObjectNode> resources, String kind, String name) {
        return all(resources, kind).stream().filter(r -> r.path("metadata").path("name").asText().equals(name)).toList();
    }

    private static JsonNode one(List<ObjectNode> resources, String kind) {
        List<ObjectNode> found = all(resources, kind);
        assertEquals(1, found.size(), kind + ": " + found);
        return found.get(0);
    }

    private static JsonNode one(List<ObjectNode> resources, String kind, String namePrefix) {
        List<ObjectNode> found = all(resources, kind).stream()
                .filter(r -> r.path("metadata").path("name").asText().startsWith(namePrefix)).toList();
        assertEquals(1, found.size(), kind + " " + namePrefix + "*: " + found);
        return found.get(0);
    }

    private static JsonNode withName(JsonNode resource, String name) {
        ObjectNode copy = resource.deepCopy();
        ((ObjectNode) copy.get("metadata")).put("name", name);
        return copy;
    }

    private static String user(Path dockerfile) throws IOException {
        Matcher m = Pattern.compile("(?m)^USER\\s+(\\S+)\\s*$").matcher(Files.readString(dockerfile));
        String user = null;
        while (m.find()) {
            user = m.group(1); // the last stage's last USER runs the service
        }
        assertTrue(user != null && user.matches("\\d+"), dockerfile + ": a numeric user, as runAsNonRoot needs");
        return user;
    }

    private static Properties properties() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(REPO.resolve("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        return properties;
    }

    private static String defaultOf(Class<?> config, String method) {
        try {
            return config.getMethod(method).getAnnotation(WithDefault.class).value();
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Path> files(String suffix) throws IOException {
        try (Stream<Path> s = Files.walk(K8S)) {
            return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }

    /** 256M, 2Gi, 1280Mi, 896m in MiB. */
    private static long mib(String size) {
        Matcher m = Pattern.compile("(\\d+)([KkMmGg])i?").matcher(size.trim());
        assertTrue(m.matches(), "not a size: " + size);
        long n = Long.parseLong(m.group(1));
        return switch (Character.toUpperCase(m.group(2).charAt(0))) {
            case 'K' -> n / 1024;
            case 'M' -> n;
            default -> n * 1024;
        };
    }
}
