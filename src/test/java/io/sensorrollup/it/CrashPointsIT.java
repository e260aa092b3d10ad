package io.sensorrollup.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.PulsarClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SIGKILL of the packaged service at the two commit points of a checkpoint, held there by the test hook
 * ({@code sensorrollup.test.pause-at}): after the uploads but before the manifest (the checkpoint never
 * happened: the restart replays from the previous one) and after the manifest but before the
 * acknowledgement (committed: the restart skips what it covers although Pulsar redelivers it). Either
 * way the stored rows equal the reference, none lost, none counted twice.
 */
class CrashPointsIT {

    private static final int PARTITIONS = 2;

    @ParameterizedTest
    @ValueSource(strings = {"before-manifest", "before-ack"})
    void killedAtACommitPointLosesNothingAndCountsNothingTwice(String point) throws Exception {
        IsolatedRun run = IsolatedRun.create("crashpoint-it", PARTITIONS).idleAfter("10s");
        List<String> corpus = Corpus.generateEndingOnAMinute(40_000, 500, "--devices", "200", "--jitter-ms", "2000");
        ReferenceRows expected = new ReferenceRows(corpus);
        Map<String, String> env = LocalServersResource.servers().env();
        try (PulsarClient client = PulsarClient.builder().serviceUrl(env.get("PULSAR_SERVICE_URL")).build()) {
            Corpus.createTopic(env.get("PULSAR_ADMIN_URL"), run.topic(), PARTITIONS);
            Corpus.publish(client, run.topic(), corpus.subList(0, 10_000));
            Map<String, String> paused = run.serviceConfig("pod-0");
            paused.put("sensorrollup.test.pause-at", point);
            ServiceProcess first = ServiceProcess.start(run.id() + "-" + point + "-first", paused);
            CompletableFuture<Void> rest = CompletableFuture.runAsync(
                    () -> Corpus.publishSlowly(client, run.topic(), corpus.subList(10_000, 40_000)));
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> first.logged("PAUSED at " + point));
            first.kill();
            System.out.printf("CrashPointsIT: killed at %s%n", point);
            rest.join();

            try (ServiceProcess second = ServiceProcess.start(run.id() + "-" + point + "-second", run.serviceConfig("pod-0"))) {
                String db = run.database();
                StoredRows.awaitReadings("CrashPointsIT " + point, expected.validReadings(), () -> StoredRows.clickhouse(env, db));
                expected.assertStored(StoredRows.clickhouse(env, db), StoredRows.clickhouseTimeResolution(env, db), "clickhouse");
            }
        }
    }
}
