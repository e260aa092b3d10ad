package io.sensorrollup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.PulsarClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 1: the packaged service frozen with SIGSTOP for 45 s (a long GC pause, CPU throttling, a frozen
 * VM) while readings with live timestamps keep arriving at the broker. The stall outlasts the 30 s idle timeout,
 * but a partition with a backlog on the broker is not idle: after SIGCONT nothing turns late, and both stores
 * hold exactly the reference rows.
 */
class StallIT {

    private static final int PARTITIONS = 4;
    private static final int RATE = 3_000;

    @Test
    void aFortyFiveSecondStallUnderLiveLoadLosesNothingAndTurnsNothingLate() throws Exception {
        IsolatedRun run = IsolatedRun.create("stall-it", PARTITIONS);
        long start = System.currentTimeMillis() + 15_000; // event time runs with the wall clock, from the first send
        List<String> corpus = Corpus.generate("--devices", "300", "--rate", Integer.toString(RATE),
                "--count", Integer.toString(RATE * 80), "--start-ms", Long.toString(start), "--jitter-ms", "1000");
        ReferenceRows expected = new ReferenceRows(corpus);
        Map<String, String> env = LocalServersResource.servers().env();
        Map<String, String> config = run.serviceConfig("pod-0");
        config.put("rollup.sink", "clickhouse,postgresql");
        config.put("rollup.sink.max-delay", "500ms");
        try (PulsarClient client = PulsarClient.builder().serviceUrl(env.get("PULSAR_SERVICE_URL")).build()) {
            Corpus.createTopic(env.get("PULSAR_ADMIN_URL"), run.topic(), PARTITIONS);
            try (ServiceProcess service = ServiceProcess.start(run.id(), config)) {
                long wait = start - System.currentTimeMillis();
                Thread.sleep(Math.max(0, wait));
                CompletableFuture<Void> publishing = CompletableFuture.runAsync(
                        () -> Corpus.publishPaced(client, run.topic(), corpus, RATE));
                Thread.sleep(15_000);
                service.pause();
                System.out.println("StallIT: SIGSTOP for 45 s");
                Thread.sleep(45_000);
                service.resume();
                System.out.println("StallIT: SIGCONT");
                publishing.join();

                String db = run.database();
                StoredRows.awaitReadings("StallIT clickhouse", expected.validReadings(), () -> StoredRows.clickhouse(env, db));
                StoredRows.awaitReadings("StallIT postgresql", expected.validReadings(), () -> StoredRows.postgres(env, db));
                assertEquals(0.0, service.metric("rollup_readings_rejected_total"),
                        "no reading of this corpus is invalid or late; late after the stall: " + service.metric(
                                "rollup_readings_rejected_total"));
                expected.assertStored(StoredRows.clickhouse(env, db), StoredRows.clickhouseTimeResolution(env, db), "clickhouse");
                expected.assertStored(StoredRows.postgres(env, db), 1, "postgresql");
            }
        }
    }
}
