package io.sensorrollup.it;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.PulsarClient;
import org.junit.jupiter.api.Test;

/**
 * Two instances share the partitions through one Failover subscription; one is killed with
 * SIGKILL mid-stream; the other takes its partitions over with their checkpointed state, and the
 * rows in ClickHouse still equal the reference.
 */
class FailoverIT {

    private static final int PARTITIONS = 4;

    @Test
    void survivorTakesOverTheKilledInstancesPartitions() throws Exception {
        IsolatedRun run = IsolatedRun.create("failover-it", PARTITIONS).idleAfter("10s");
        List<String> corpus = Corpus.generate("--devices", "500", "--rate", "500", "--count", "60000", "--jitter-ms", "2000");
        ReferenceRows expected = new ReferenceRows(corpus);
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Map<String, String> env = LocalServersResource.servers().env();

        try (PulsarClient client = PulsarClient.builder().serviceUrl(env.get("PULSAR_SERVICE_URL")).build()) {
            Corpus.createTopic(env.get("PULSAR_ADMIN_URL"), run.topic(), PARTITIONS);
            Corpus.publish(client, run.topic(), corpus.subList(0, 20_000));
            ServiceProcess victim = ServiceProcess.start(run.id() + "-a", run.serviceConfig("pod-a"));
            try (ServiceProcess survivor = ServiceProcess.start(run.id() + "-b", run.serviceConfig("pod-b"))) {
                CompletableFuture<Void> rest = CompletableFuture.runAsync(
                        () -> Corpus.publishSlowly(client, run.topic(), corpus.subList(20_000, 60_000)));
                long killAfter = 500 + random.nextInt(3_000);
                Thread.sleep(killAfter);
                long killedAt = System.nanoTime();
                victim.kill();
                System.out.printf("FailoverIT: killed pod-a %d ms into the stream (seed %d)%n", killAfter, seed);
                rest.join();

                String db = run.database();
                StoredRows.awaitReadings("FailoverIT", expected.validReadings(), () -> StoredRows.clickhouse(env, db));
                System.out.printf("FailoverIT: every reading in ClickHouse %d ms after the kill%n",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
                expected.assertStored(StoredRows.clickhouse(env, db), StoredRows.clickhouseTimeResolution(env, db), "clickhouse");
            }
        }
    }
}
