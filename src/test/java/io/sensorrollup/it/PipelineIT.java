package io.sensorrollup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sensorrollup.checkpoint.PartitionTasks;
import io.sensorrollup.source.Reading;
import io.sensorrollup.state.OutboxEntry;
import io.sensorrollup.window.WindowRow;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Reader;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.MessageId;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A generated corpus with malformed lines, published to the real Pulsar keyed by device: every
 * valid reading ends up in exactly one closed window row, equal to a deliberately simple reference;
 * every malformed one is on the dead-letter topic with its reason; checkpoints reach S3 and the
 * subscription is acknowledged to the end.
 */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
@TestProfile(PipelineIT.Isolated.class)
class PipelineIT {

    /** A topic, subscription, checkpoint prefix and state directory of its own, so runs never meet. */
    public static class Isolated implements QuarkusTestProfile {
        static final String RUN = UUID.randomUUID().toString().substring(0, 8);

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "rollup.source.topic", "persistent://public/default/pipeline-it-" + RUN,
                    "rollup.source.partitions", "4",
                    "rollup.checkpoint.store", "s3://sensor-rollup/pipeline-it-" + RUN,
                    "rollup.checkpoint.interval", "2s",
                    "rollup.window.idle-timeout", "3s",
                    "rollup.state.dir", "target/state-" + RUN);
        }
    }

    private static final int COUNT = 20_000;
    private static final int BAD_EVERY = 997;
    private static final Pattern DEVICE = Pattern.compile("\"device_id\":\"([^\"]+)\"");

    @Inject
    PartitionTasks partitions;

    @Inject
    S3Client s3;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void everyReadingCountedOnceCheckpointedAndAcknowledged() throws Exception {
        Map<String, String> env = LocalServersResource.servers().env();
        String topic = "persistent://public/default/pipeline-it-" + Isolated.RUN;
        List<String> corpus = Corpus.generate("--devices", "200", "--rate", "200", "--count", Integer.toString(COUNT),
                "--bad-every", Integer.toString(BAD_EVERY));

        try (PulsarClient client = PulsarClient.builder().serviceUrl(env.get("PULSAR_SERVICE_URL")).build();
                Producer<byte[]> producer = client.newProducer(Schema.BYTES).topic(topic).enableBatching(true).create()) {
            for (String line : corpus) {
                var message = producer.newMessage().value(line.getBytes(StandardCharsets.UTF_8));
                Matcher device = DEVICE.matcher(line);
                if (device.find()) {
                    message.key(device.group(1));
                }
                message.sendAsync();
            }
            producer.flush();

            Map<String, Expected> expected = reference(corpus);
            long valid = expected.values().stream().mapToLong(e -> e.count).sum();
            Awaitility.await().atMost(120, TimeUnit.SECONDS).pollInterval(1, TimeUnit.SECONDS)
                    .until(() -> {
                        long counted = rows().stream().mapToLong(WindowRow::messageCount).sum();
                        System.out.printf("PipelineIT: %d of %d valid readings in closed windows, partitions %s%n",
                                counted, valid, partitions.owned());
                        return counted >= valid;
                    });

            List<WindowRow> rows = rows();
            assertEquals(expected.size(), rows.size(), "one row per (device, window)");
            for (WindowRow row : rows) {
                Expected e = expected.get(row.deviceId() + "@" + row.windowStart());
                assertTrue(e != null, "unexpected row " + row);
                int t = 0; // temperature
                assertEquals(e.count, row.messageCount(), row.toString());
                assertEquals(e.temperatureCount, row.metricCount(t), row.toString());
                if (e.temperatureCount > 0) {
                    assertEquals(e.temperatureMin, row.metricMin(t), 0.0, row.toString());
                    assertEquals(e.temperatureMax, row.metricMax(t), 0.0, row.toString());
                    assertEquals(e.temperatureSum, row.metricSum(t), 1e-6, row.toString());
                }
                assertEquals(1, row.version());
            }

            List<String> reasons = deadLetters(client, topic + "-dlq", COUNT / BAD_EVERY);
            assertEquals(COUNT / BAD_EVERY, reasons.size(), "every malformed line on the dead-letter topic");
            assertFalse(reasons.contains(null), "each dead letter carries its reason: " + reasons);

            Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(1, TimeUnit.SECONDS)
                    .until(() -> backlog(env.get("PULSAR_ADMIN_URL"), topic) == 0);
            var manifests = s3.listObjectsV2Paginator(b -> b.bucket("sensor-rollup").prefix("pipeline-it-" + Isolated.RUN + "/"))
                    .contents().stream().filter(o -> o.key().endsWith("/_metadata")).count();
            assertTrue(manifests >= 4, "a committed checkpoint per partition, found " + manifests);
        }
    }

    private List<WindowRow> rows() {
        List<WindowRow> rows = new ArrayList<>();
        for (int p : partitions.owned()) {
            partitions.get(p).ifPresent(task -> rows.addAll(task.withProcessor(processor -> processor.readOutbox(-1, Integer.MAX_VALUE))
                    .toCompletableFuture().join().stream().map(OutboxEntry::row).toList()));
        }
        return rows;
    }

    private static List<String> deadLetters(PulsarClient client, String topic, int expected) throws Exception {
        List<String> reasons = new ArrayList<>();
        try (Reader<byte[]> reader = client.newReader(Schema.BYTES).topic(topic).startMessageId(MessageId.earliest).create()) {
            while (reasons.size() < expected) {
                Message<byte[]> m = reader.readNext(30, TimeUnit.SECONDS);
                if (m == null) {
                    break;
                }
                reasons.add(m.getProperty("error"));
                assertTrue(m.getProperty("source-message-id") != null);
            }
        }
        return reasons;
    }

    private long backlog(String adminUrl, String topic) throws IOException, InterruptedException {
        HttpResponse<String> stats = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(adminUrl + "/admin/v2/" + topic.replace("://", "/") + "/partitioned-stats")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode subscription = json.readTree(stats.body()).path("subscriptions").path("sensor-rollup");
        return subscription.isMissingNode() ? Long.MAX_VALUE : subscription.path("msgBacklog").asLong();
    }

    /** The simple reference: group the valid lines by (device, minute). */
    private Map<String, Expected> reference(List<String> corpus) throws IOException {
        Map<String, Expected> out = new HashMap<>();
        for (String line : corpus) {
            JsonNode r;
            try {
                r = json.readTree(line);
            } catch (IOException malformed) {
                continue;
            }
            if (r == null || !r.isObject() || !r.path("device_id").isTextual() || r.path("device_id").asText().isEmpty()
                    || !r.path("timestamp").isNumber() || (r.has("temperature") && !r.path("temperature").isNumber())
                    || (r.has("temperature") && !Double.isFinite(r.path("temperature").asDouble()))) {
                continue;
            }
            long start = Math.floorDiv(r.path("timestamp").asLong(), 60_000L) * 60_000L;
            Expected e = out.computeIfAbsent(r.path("device_id").asText() + "@" + start, k -> new Expected());
            e.count++;
            if (r.has("temperature")) {
                double v = r.path("temperature").asDouble();
                e.temperatureCount++;
                e.temperatureSum += v;
                e.temperatureMin = Math.min(e.temperatureMin, v);
                e.temperatureMax = Math.max(e.temperatureMax, v);
            }
        }
        return out;
    }

    private static final class Expected {
        long count;
        long temperatureCount;
        double temperatureSum;
        double temperatureMin = Double.POSITIVE_INFINITY;
        double temperatureMax = Double.NEGATIVE_INFINITY;
    }
}
