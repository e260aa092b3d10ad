package io.sensorrollup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pulsar.client.api.PulsarClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The graceful hand-over (SIGTERM) mid-stream replays nothing: the stopping pod's final checkpoint holds every
 * reading it processed, its next owner restores exactly that checkpoint, and the two pods together process each
 * published reading once. Counted from what the pods processed, not from the rows, which a replay from a
 * checkpoint would leave right.
 */
class HandOverIT {

    private static final int PARTITIONS = 4;
    private static final Pattern HANDED_OVER = Pattern.compile(
            "Partition (\\d+) handed over: (\\d+) readings processed here since it was assigned, all in (checkpoint (\\d+)|its last)");
    private static final Pattern RESTORED = Pattern.compile("Partition (\\d+) switched to RUNNING: restored from checkpoint (\\d+)");

    @Test
    void theNextOwnerRestoresTheFinalCheckpointAndProcessesNothingTwice() throws Exception {
        IsolatedRun run = IsolatedRun.create("handover-it", PARTITIONS).idleAfter("10s");
        List<String> corpus = Corpus.generateEndingOnAMinute(100_000, 500, "--devices", "500", "--jitter-ms", "2000");
        ReferenceRows expected = new ReferenceRows(corpus);
        Map<String, String> env = LocalServersResource.servers().env();

        try (PulsarClient client = PulsarClient.builder().serviceUrl(env.get("PULSAR_SERVICE_URL")).build()) {
            Corpus.createTopic(env.get("PULSAR_ADMIN_URL"), run.topic(), PARTITIONS);
            ServiceProcess stopping = ServiceProcess.start(run.id() + "-a", run.serviceConfig("pod-a"));
            try (ServiceProcess next = ServiceProcess.start(run.id() + "-b", run.serviceConfig("pod-b"))) {
                // the partitions settle between the two before any reading, so no reading is processed by a turn
                // that ends without a hand-over line
                Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                        owned(stopping) > 0 && owned(next) > 0 && owned(stopping) + owned(next) == PARTITIONS);
                CompletableFuture<Void> streaming = CompletableFuture.runAsync(
                        () -> Corpus.publishSlowly(client, run.topic(), corpus));
                Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .until(() -> stopping.metric("rollup_readings_received_total") >= 10_000);
                long ownedByA = owned(stopping);
                Duration took = stopping.terminate(Duration.ofSeconds(60));
                assertFalse(streaming.isDone(), "the corpus was all published before the hand-over: it was not mid-stream");
                streaming.join();
                String db = run.database();
                StoredRows.awaitReadings("HandOverIT", expected.validReadings(), () -> StoredRows.clickhouse(env, db));
                expected.assertStored(StoredRows.clickhouse(env, db), StoredRows.clickhouseTimeResolution(env, db), "clickhouse");

                Map<Integer, Long> handedOver = new TreeMap<>();
                Map<Integer, Long> finalCheckpoint = new TreeMap<>();
                Matcher m = HANDED_OVER.matcher(stopping.logText());
                while (m.find()) {
                    handedOver.put(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)));
                    if (m.group(4) != null) {
                        finalCheckpoint.put(Integer.parseInt(m.group(1)), Long.parseLong(m.group(4)));
                    }
                }
                Map<Integer, Long> restored = new TreeMap<>();
                Matcher r = RESTORED.matcher(next.logText());
                while (r.find()) {
                    restored.put(Integer.parseInt(r.group(1)), Long.parseLong(r.group(2)));
                }
                long processedByA = handedOver.values().stream().mapToLong(Long::longValue).sum();
                long processedByB = (long) next.metric("rollup_readings_received_total");
                System.out.printf("HandOverIT: pod-a stopped in %d ms; handed over %s (final checkpoints %s), pod-b restored %s;"
                        + " processed %d + %d of %d published%n", took.toMillis(), handedOver, finalCheckpoint, restored,
                        processedByA, processedByB, corpus.size());
                assertEquals(ownedByA, handedOver.size(), "every partition of pod-a has a hand-over line");
                finalCheckpoint.forEach((partition, id) -> assertEquals(id, restored.get(partition),
                        "pod-b restored partition " + partition + " from pod-a's final checkpoint"));
                assertEquals(corpus.size(), processedByA + processedByB, "readings processed twice (or never) across the hand-over");
            } finally {
                stopping.kill();
            }
        }
    }

    private static long owned(ServiceProcess pod) throws Exception {
        return (long) pod.metric("rollup_partitions_owned");
    }
}
