package io.sensorrollup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sensorrollup.window.WindowRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
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
        String run = UUID.randomUUID().toString().substring(0, 8);
        String topic = "persistent://public/default/crash-it-" + run;
        String prefix = "crash-it-" + run;
        Map<String, String> config = Map.of(
                "rollup.source.topic", topic,
                "rollup.source.partitions", Integer.toString(PARTITIONS),
                "rollup.checkpoint.store", "s3://sensor-rollup/" + prefix,
                "rollup.checkpoint.interval", "1s",
                "rollup.window.idle-timeout", "2s",
                "rollup.state.dir", "target/" + prefix + "/state");
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
            CompletableFuture<Void> rest = CompletableFuture.runAsync(() -> publishSlowly(client, topic, corpus.subList(20_000, 60_000)));
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

    /** About 20 000 readings a second, so the kill lands while messages still arrive. */
    private static void publishSlowly(PulsarClient client, String topic, List<String> lines) {
        try {
            for (int from = 0; from < lines.size(); from += 2_000) {
                Corpus.publish(client, topic, lines.subList(from, Math.min(lines.size(), from + 2_000)));
                Thread.sleep(100);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
