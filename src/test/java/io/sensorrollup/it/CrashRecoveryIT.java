package io.sensorrollup.it;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.PulsarClient;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the packaged service while readings stream in, then a restart on the same volume:
 * the rows in ClickHouse and PostgreSQL equal the reference row for row, none lost, none counted twice (CONTRACT §4).
 */
class CrashRecoveryIT {

    private static final int PARTITIONS = 4;

    @Test
    void killNineMidStreamThenRestartLosesNothingAndCountsNothingTwice() throws Exception {
        IsolatedRun run = IsolatedRun.create("crash-it", PARTITIONS).idleAfter("10s");
        String topic = run.topic();
        String prefix = run.prefix();
        Map<String, String> config = run.serviceConfig("pod-0");
        config.put("rollup.sink", "clickhouse,postgresql");
        List<String> corpus = Corpus.generate("--devices", "500", "--rate", "500", "--count", "60000", "--jitter-ms", "2000");
        ReferenceRows expected = new ReferenceRows(corpus);
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Map<String, String> env = LocalServersResource.servers().env();

        try (PulsarClient client = PulsarClient.builder().serviceUrl(env.get("PULSAR_SERVICE_URL")).build()) {
            Corpus.createTopic(env.get("PULSAR_ADMIN_URL"), topic, PARTITIONS);
            Corpus.publish(client, topic, corpus.subList(0, 20_000));
            ServiceProcess first = ServiceProcess.start(prefix + "-first", config);
            CompletableFuture<Void> rest = CompletableFuture.runAsync(() -> Corpus.publishSlowly(client, topic, corpus.subList(20_000, 60_000)));
            long killAfter = 500 + random.nextInt(3_500);
            Thread.sleep(killAfter);
            first.kill();
            System.out.printf("CrashRecoveryIT: killed the service %d ms after it was ready (seed %d)%n", killAfter, seed);
            rest.join();

            try (ServiceProcess second = ServiceProcess.start(prefix + "-second", config)) {
                String db = run.database();
                StoredRows.awaitReadings("CrashRecoveryIT clickhouse", expected.validReadings(), () -> StoredRows.clickhouse(env, db));
                StoredRows.awaitReadings("CrashRecoveryIT postgresql", expected.validReadings(), () -> StoredRows.postgres(env, db));
                // FINAL and the primary key leave one row per window, whatever the replay wrote twice
                expected.assertStored(StoredRows.clickhouse(env, db), StoredRows.clickhouseTimeResolution(env, db), "clickhouse");
                expected.assertStored(StoredRows.postgres(env, db), 1, "postgresql");
                System.out.printf("CrashRecoveryIT: %d rows stored in ClickHouse before FINAL, %d after%n",
                        StoredRows.clickhouseCount(env, db, false), StoredRows.clickhouseCount(env, db, true));
            }
        }
    }
}
