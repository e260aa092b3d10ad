package io.sensorrollup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The pod's documented memory settings hold at its limit (issue 17): the service runs with the JVM flags,
 * {@code MALLOC_ARENA_MAX} and state sizes of {@code k8s/base/config.env}, inside a memory cgroup limited to the
 * StatefulSet's memory limit, as the kubelet would run it, under the simulator's load on all 8 partitions. It must
 * neither be OOM-killed nor exit, and it must keep up: every reading published is processed.
 */
class MemoryLimitIT {

    private static final Path CONFIG = Path.of("k8s/base/config.env");
    private static final Path STATEFUL_SET = Path.of("k8s/base/statefulset.yaml");
    private static final Path MEMORY_CGROUPS = Path.of("/sys/fs/cgroup/memory");
    private static final int RATE = 20_000;
    private static final int SECONDS = 60;

    @Test
    void thePodsMemorySettingsHoldAtItsLimitUnderLoad() throws Exception {
        Optional<Path> parent = ownMemoryCgroup();
        assumeTrue(parent.isPresent() && Files.isWritable(parent.get()),
                "needs a writable cgroup v1 memory hierarchy (root on this machine kind) to limit the service's memory");
        Map<String, String> documented = configEnv();
        long limit = memoryLimit();
        IsolatedRun run = IsolatedRun.create("memory-it", 8);
        Path cgroup = Files.createDirectory(parent.get().resolve("sensor-rollup-" + run.id()));
        try {
            Files.writeString(cgroup.resolve("memory.limit_in_bytes"), Long.toString(limit));
            Map<String, String> env = new LinkedHashMap<>();
            documented.forEach((k, v) -> {
                if (k.startsWith("ROLLUP_STATE_") || k.equals("ROLLUP_SOURCE_RECEIVE_QUEUE_PER_PARTITION")
                        || k.equals("ROLLUP_WINDOWS") || k.equals("ROLLUP_CHECKPOINT_INTERVAL") || k.equals("MALLOC_ARENA_MAX")) {
                    env.put(k, v);
                }
            });
            List<String> jvm = Arrays.asList(documented.get("JAVA_OPTS_APPEND").trim().split("\\s+"));
            Map<String, String> servers = LocalServersResource.servers().env();
            Corpus.createTopic(servers.get("PULSAR_ADMIN_URL"), run.topic(), run.partitions());
            try (ServiceProcess service = ServiceProcess.launch(run.id(), run.serviceConfig("pod-0"), jvm, env)) {
                // at once, before the JVM has touched its heap: what it touched until now stays charged where it was
                // (newer kernels have no move_charge_at_immigrate), a few MiB of a process that grows to over a GiB
                Files.writeString(cgroup.resolve("cgroup.procs"), Long.toString(service.pid()));
                service.awaitReady(Duration.ofSeconds(90));
                Process load = new ProcessBuilder("dev/simulate", "--topic", run.topic(), "--rate", Integer.toString(RATE),
                        "--devices", "50000", "--seconds", Integer.toString(SECONDS))
                        .redirectErrorStream(true).redirectOutput(Path.of("target", run.id() + "-simulate.log").toFile()).start();
                long peakRss = 0;
                while (load.isAlive()) {
                    peakRss = Math.max(peakRss, rss(service.pid()));
                    Thread.sleep(1_000);
                }
                assertEquals(0, load.waitFor(), "the simulator ran; see target/" + run.id() + "-simulate.log");
                long published = Long.parseLong(Files.readString(Path.of("target", run.id() + "-simulate.log")).lines()
                        .filter(l -> l.startsWith("simulate: done, ")).findFirst()
                        .map(l -> l.substring("simulate: done, ".length(), l.indexOf(" readings")).replaceAll("\\D", ""))
                        .orElseThrow(() -> new AssertionError("the simulator said how many it sent")));
                Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .until(() -> service.metric("rollup_readings_received_total") >= published);
                peakRss = Math.max(peakRss, rss(service.pid()));
                String oom = Files.readString(cgroup.resolve("memory.oom_control"));
                System.out.printf("MemoryLimitIT: limit %d MiB, peak RSS %d MiB, cgroup peak (page cache included) %d MiB,"
                                + " %d readings; %s%n", limit >> 20, peakRss >> 20,
                        Long.parseLong(Files.readString(cgroup.resolve("memory.max_usage_in_bytes")).trim()) >> 20, published,
                        oom.replace('\n', ' '));
                assertTrue(service.isAlive(), "the service ended under its limit; see target/" + run.id() + ".log");
                assertTrue(oom.contains("under_oom 0") && !oom.matches("(?s).*oom_kill [1-9].*"), oom);
                assertTrue(peakRss < limit, "resident memory " + (peakRss >> 20) + " MiB under the limit");
            }
        } finally {
            Files.deleteIfExists(cgroup);
        }
    }

    /** The memory cgroup this test runs in, from {@code /proc/self/cgroup}. */
    private static Optional<Path> ownMemoryCgroup() throws IOException {
        if (!Files.isDirectory(MEMORY_CGROUPS)) {
            return Optional.empty();
        }
        return Files.readAllLines(Path.of("/proc/self/cgroup")).stream().map(l -> l.split(":", 3))
                .filter(f -> f.length == 3 && Arrays.asList(f[1].split(",")).contains("memory"))
                .map(f -> MEMORY_CGROUPS.resolve(f[2].replaceFirst("^/", ""))).findFirst();
    }

    private static Map<String, String> configEnv() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(CONFIG)) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return env;
    }

    /** The service container's memory limit in the StatefulSet, in bytes. */
    private static long memoryLimit() throws IOException {
        JsonNode set = new ObjectMapper(new YAMLFactory()).readTree(STATEFUL_SET.toFile());
        for (JsonNode container : set.path("spec").path("template").path("spec").path("containers")) {
            String memory = container.path("resources").path("limits").path("memory").asText();
            if (memory.endsWith("Gi")) {
                return Long.parseLong(memory.replace("Gi", "")) << 30;
            }
            if (memory.endsWith("Mi")) {
                return Long.parseLong(memory.replace("Mi", "")) << 20;
            }
        }
        throw new AssertionError("no memory limit in Gi or Mi in " + STATEFUL_SET);
    }

    private static long rss(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")) << 10).orElse(0L);
    }
}
