package io.sensorrollup.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.PulsarClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Three instances on one Failover subscription, as pods of a StatefulSet: two start, a third joins and
 * gets partitions while the others keep running, one stops gracefully (SIGTERM: final checkpoint, then
 * its partitions move at once), one is killed; the rows still equal an uninterrupted run.
 */
class ScaleOutIT {

    private static final int PARTITIONS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void joinGracefulStopAndKillKeepEveryRowExactlyOnce() throws Exception {
        IsolatedRun run = IsolatedRun.create("scale-it", PARTITIONS);
        List<String> corpus = Corpus.generate("--devices", "500", "--rate", "500", "--count", "80000", "--jitter-ms", "2000");
        ReferenceRows expected = new ReferenceRows(corpus);
        Map<String, String> env = LocalServersResource.servers().env();

        try (PulsarClient client = PulsarClient.builder().serviceUrl(env.get("PULSAR_SERVICE_URL")).build()) {
            Corpus.createTopic(env.get("PULSAR_ADMIN_URL"), run.topic(), PARTITIONS);
            Corpus.publish(client, run.topic(), corpus.subList(0, 20_000));
            ServiceProcess a = ServiceProcess.start(run.id() + "-a", run.serviceConfig("pod-a"));
            ServiceProcess b = ServiceProcess.start(run.id() + "-b", run.serviceConfig("pod-b"));
            try {
                CompletableFuture<Void> streaming = CompletableFuture.runAsync(
                        () -> Corpus.publishSlowly(client, run.topic(), corpus.subList(20_000, 60_000)));
                awaitCoverage(List.of(a, b));

                ServiceProcess c = ServiceProcess.start(run.id() + "-c", run.serviceConfig("pod-c"));
                try {
                    Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> !owned(c).isEmpty());
                    assertTrue(a.isAlive() && b.isAlive(), "the pods already running did not restart when c joined");
                    System.out.printf("ScaleOutIT: c joined and owns %s; a owns %s, b owns %s%n", owned(c), owned(a), owned(b));

                    long stopping = System.nanoTime();
                    Set<Integer> handedOver = owned(b);
                    b.close(); // SIGTERM: final checkpoint, acknowledgement, consumer closed
                    long stopped = System.nanoTime();
                    awaitCoverage(List.of(a, c));
                    System.out.printf("ScaleOutIT: b stopped gracefully in %d ms; its partitions %s owned again %d ms after SIGTERM%n",
                            (stopped - stopping) / 1_000_000, handedOver, (System.nanoTime() - stopping) / 1_000_000);

                    a.kill();
                    long killed = System.nanoTime();
                    awaitCoverage(List.of(c));
                    System.out.printf("ScaleOutIT: a killed; c owns every partition %d ms later%n", (System.nanoTime() - killed) / 1_000_000);
                    streaming.join();
                    Corpus.publish(client, run.topic(), corpus.subList(60_000, 80_000));

                    String db = run.database();
                    StoredRows.awaitReadings("ScaleOutIT", expected.validReadings(), () -> StoredRows.clickhouse(env, db));
                    expected.assertStored(StoredRows.clickhouse(env, db), StoredRows.clickhouseTimeResolution(env, db), "clickhouse");
                } finally {
                    c.close();
                }
            } finally {
                a.kill();
                b.kill();
            }
        }
    }

    /** Waits until the pods together own every partition. */
    private static void awaitCoverage(List<ServiceProcess> pods) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            Set<Integer> all = new TreeSet<>();
            for (ServiceProcess pod : pods) {
                all.addAll(owned(pod));
            }
            return all.size() == PARTITIONS;
        });
    }

    /** The restored partitions a pod reports on {@code /api/partitions}. */
    private static Set<Integer> owned(ServiceProcess pod) throws Exception {
        Set<Integer> owned = new TreeSet<>();
        for (JsonNode p : JSON.readTree(pod.get("/api/partitions").body())) {
            owned.add(p.path("partition").asInt());
        }
        return owned;
    }
}
