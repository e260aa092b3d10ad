package io.sensorrollup.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sensorrollup.checkpoint.PartitionTasks;
import io.sensorrollup.source.Reading;
import io.sensorrollup.source.ReadingDecoder;
import io.sensorrollup.state.OutboxEntry;
import io.sensorrollup.window.WindowRow;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Reader;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.MessageId;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
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
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineIT {

    /** A topic, subscription, checkpoint prefix and state directory of its own, so runs never meet. */
    public static class Isolated implements QuarkusTestProfile {
        static final String RUN = UUID.randomUUID().toString().substring(0, 8);
        static final String TOKEN = UUID.randomUUID().toString();

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "rollup.source.topic", "persistent://public/default/pipeline-it-" + RUN,
                    "rollup.source.partitions", "4",
                    "rollup.checkpoint.store", "s3://sensor-rollup/pipeline-it-" + RUN,
                    "rollup.checkpoint.interval", "2s",
                    "rollup.window.idle-timeout", "3s",
                    "rollup.state.dir", "target/state-" + RUN,
                    "rollup.api.token", TOKEN);
        }
    }

    private static final int COUNT = 20_000;
    private static final int BAD_EVERY = 997;

    @Inject
    PartitionTasks partitions;

    @Inject
    S3Client s3;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    @Order(1)
    void everyReadingCountedOnceCheckpointedAndAcknowledged() throws Exception {
        Map<String, String> env = LocalServersResource.servers().env();
        String topic = "persistent://public/default/pipeline-it-" + Isolated.RUN;
        // --bad-every cycles through every kind of the generator's BAD_LINES; plus one payload of 5 MB
        List<String> corpus = new ArrayList<>(Corpus.generate("--devices", "200", "--rate", "200", "--count",
                Integer.toString(COUNT), "--bad-every", Integer.toString(BAD_EVERY)));
        corpus.add(10_000, "{\"device_id\":\"" + "x".repeat(5_000_000) + "\",\"timestamp\":1767225600000}");
        List<String> expectedReasons = reasons(corpus);

        try (PulsarClient client = PulsarClient.builder().serviceUrl(env.get("PULSAR_SERVICE_URL")).build()) {
            Corpus.publish(client, topic, corpus);

            ReferenceRows expected = new ReferenceRows(corpus);
            long valid = expected.validReadings();
            Awaitility.await().atMost(120, TimeUnit.SECONDS).pollInterval(1, TimeUnit.SECONDS)
                    .until(() -> {
                        long counted = rows().stream().mapToLong(WindowRow::messageCount).sum();
                        System.out.printf("PipelineIT: %d of %d valid readings in closed windows, watermarks %s%n",
                                counted, valid, watermarks());
                        return counted >= valid;
                    });

            expected.assertMatches(rows());

            List<String> reasons = deadLetters(client, topic + "-dlq", expectedReasons.size());
            Collections.sort(reasons);
            assertEquals(expectedReasons, reasons, "every malformed line on the dead-letter topic with its reason");
            assertTrue(expectedReasons.contains("device-id-too-long") && expectedReasons.contains("not-an-object")
                    && expectedReasons.contains("not-json") && expectedReasons.contains("bad-timestamp"), expectedReasons.toString());

            Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(1, TimeUnit.SECONDS)
                    .until(() -> backlog(env.get("PULSAR_ADMIN_URL"), topic) == 0);
            var manifests = s3.listObjectsV2Paginator(b -> b.bucket("sensor-rollup").prefix("pipeline-it-" + Isolated.RUN + "/"))
                    .contents().stream().filter(o -> o.key().endsWith("/_metadata")).count();
            assertTrue(manifests >= 4, "a committed checkpoint per partition, found " + manifests);
        }
    }

    @Test
    @Order(2)
    void savepointTakenKeptAndDeletedThroughTheApi() {
        String auth = "Bearer " + Isolated.TOKEN;
        given().when().post("/api/savepoints?name=before-upgrade").then().statusCode(401);
        given().header("Authorization", "Bearer wrong").when().post("/api/savepoints?name=before-upgrade").then().statusCode(401);
        given().header("Authorization", auth).when().post("/api/savepoints?name=before-upgrade").then()
                .statusCode(201)
                .body("name", equalTo("before-upgrade"))
                .body("parts.partition", containsInAnyOrder(0, 1, 2, 3));
        given().when().get("/api/savepoints").then().statusCode(200)
                .body("find { it.name == 'before-upgrade' }.partitions", containsInAnyOrder(0, 1, 2, 3));
        given().when().delete("/api/savepoints/before-upgrade").then().statusCode(401);
        given().header("Authorization", auth).when().delete("/api/savepoints/before-upgrade").then().statusCode(204);
        given().when().get("/api/savepoints").then().statusCode(200).body("name", not(hasItem("before-upgrade")));
    }

    /** The reason the decoder gives each invalid line, sorted. */
    private static List<String> reasons(List<String> lines) {
        ReadingDecoder decoder = new ReadingDecoder();
        Reading reading = new Reading();
        List<String> reasons = new ArrayList<>();
        for (String line : lines) {
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            String reason = decoder.decode(bytes, 0, bytes.length, reading);
            if (reason != null) {
                reasons.add(reason);
            }
        }
        Collections.sort(reasons);
        return reasons;
    }

    private Map<Integer, Long> watermarks() {
        Map<Integer, Long> out = new java.util.TreeMap<>();
        for (int p : partitions.owned()) {
            partitions.get(p).ifPresent(task -> out.put(p, task.withProcessor(processor -> processor.watermark())
                    .toCompletableFuture().join()));
        }
        return out;
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
}
