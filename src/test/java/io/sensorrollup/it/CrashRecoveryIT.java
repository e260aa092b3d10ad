package io.sensorrollup.it;


import io.sensorrollup.window.WindowRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.PulsarClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * kill -9 of the packaged service while readings stream in, then a restart on the same volume:
 * the committed rows equal the reference row for row, none lost, none counted twice (CONTRACT §4).
 */
class CrashRecoveryIT {

    private static final int PARTITIONS = 4;

    @Test
    void killNineMidStreamThenRestartLosesNothingAndCountsNothingTwice() throws Exception {
        IsolatedRun run = IsolatedRun.create("crash-it", PARTITIONS);
        String topic = run.topic();
        String prefix = run.prefix();
        Map<String, String> config = run.serviceConfig("pod-0");
        List<String> corpus = Corpus.generate("--devices", "500", "--rate", "500", "--count", "60000", "--jitter-ms", "2000");
        ReferenceRows expected = new ReferenceRows(corpus);
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Map<String, String> env = LocalServersResource.servers().env();

        try (PulsarClient client = PulsarClient.builder().serviceUrl(env.get("PULSAR_SERVICE_URL")).build();
                S3Client s3 = LocalServersResource.s3(env)) {
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
                Path scratch = Files.createDirectories(Path.of("target", prefix, "read"));
                Awaitility.await().atMost(150, TimeUnit.SECONDS).pollInterval(3, TimeUnit.SECONDS).until(() -> {
                    long counted = CheckpointedRows.read(s3, "sensor-rollup", prefix, PARTITIONS, scratch).stream()
                            .mapToLong(WindowRow::messageCount).sum();
                    System.out.printf("CrashRecoveryIT: %d of %d readings in committed rows%n", counted, expected.validReadings());
                    return counted >= expected.validReadings();
                });
                expected.assertMatches(CheckpointedRows.read(s3, "sensor-rollup", prefix, PARTITIONS, scratch));
            }
        }
    }
}
