package io.sensorrollup.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sensorrollup.partition.PartitionTask;
import io.sensorrollup.partition.PartitionTasks;
import io.sensorrollup.source.Reading;
import io.sensorrollup.source.ReadingDecoder;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
        static final String DATABASE = "it_pipeline_" + RUN;
        static final String TOPIC = "persistent://public/default/pipeline-it-" + RUN;

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "rollup.source.topic", TOPIC,
                    "rollup.source.partitions", "4",
                    "rollup.checkpoint.store", "s3://sensor-rollup/pipeline-it-" + RUN,
                    "rollup.checkpoint.interval", "2s",
                    "rollup.window.idle-timeout", "3s",
                    "rollup.state.dir", Path.of("target", "state-" + RUN).toAbsolutePath().toString(),
                    "rollup.api.token", TOKEN,
                    "rollup.clickhouse.database", DATABASE,
                    "rollup.postgres.schema", DATABASE,
                    "rollup.sink.max-delay", "500ms");
        }
    }

    private static final int COUNT = 20_000;
    private static final int BAD_EVERY = 997;
    private static final java.util.regex.Pattern TIMESTAMP = java.util.regex.Pattern.compile("\"timestamp\":(\\d+)");
    private static long newestTimestamp;

    @Inject
    PartitionTasks partitions;

    @Inject
    S3Client s3;


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
        newestTimestamp = corpus.stream().map(TIMESTAMP::matcher).filter(java.util.regex.Matcher::find)
                .mapToLong(m -> Long.parseLong(m.group(1))).max().orElseThrow();

        try (PulsarClient client = PulsarClient.builder().serviceUrl(env.get("PULSAR_SERVICE_URL")).build()) {
            Corpus.publish(client, topic, corpus);

            ReferenceRows expected = new ReferenceRows(corpus);
            StoredRows.awaitReadings("PipelineIT clickhouse", expected.validReadings(),
                    () -> StoredRows.clickhouse(env, Isolated.DATABASE));
            StoredRows.awaitReadings("PipelineIT postgresql", expected.validReadings(),
                    () -> StoredRows.postgres(env, Isolated.DATABASE));
            expected.assertStored(StoredRows.clickhouse(env, Isolated.DATABASE),
                    StoredRows.clickhouseTimeResolution(env, Isolated.DATABASE), "clickhouse");
            expected.assertStored(StoredRows.postgres(env, Isolated.DATABASE), 1, "postgresql");
            Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> outboxRows() == 0);

            List<String> reasons = deadLetters(client, topic + "-dlq", expectedReasons.size());
            Collections.sort(reasons);
            assertEquals(expectedReasons, reasons, "every malformed line on the dead-letter topic with its reason");
            assertTrue(expectedReasons.contains("device-id-too-long") && expectedReasons.contains("not-an-object")
                    && expectedReasons.contains("not-json") && expectedReasons.contains("bad-timestamp"), expectedReasons.toString());

            Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(1, TimeUnit.SECONDS)
                    .until(() -> Corpus.subscriptionBacklog(env.get("PULSAR_ADMIN_URL"), topic) == 0);
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
                .body("complete", equalTo(true))
                .body("partitions", containsInAnyOrder(0, 1, 2, 3));
        given().header("Authorization", auth).when().post("/api/savepoints?name=before-upgrade").then().statusCode(409);
        given().when().get("/api/savepoints").then().statusCode(200)
                .body("find { it.name == 'before-upgrade' }.partitions", containsInAnyOrder(0, 1, 2, 3))
                .body("find { it.name == 'before-upgrade' }.missing", org.hamcrest.Matchers.empty());
        given().when().delete("/api/savepoints/before-upgrade").then().statusCode(401);
        given().header("Authorization", auth).when().delete("/api/savepoints/before-upgrade").then().statusCode(204);
        given().when().get("/api/savepoints").then().statusCode(200).body("name", not(hasItem("before-upgrade")));
    }

    @Test
    @Order(3)
    void operatorEndpointsShowPartitionsCheckpointsMetricsAndADevicesOpenWindow() throws Exception {
        Map<String, String> env = LocalServersResource.servers().env();
        long minute = (newestTimestamp / 60_000 + 2) * 60_000;
        try (PulsarClient client = PulsarClient.builder().serviceUrl(env.get("PULSAR_SERVICE_URL")).build()) {
            Corpus.publish(client, Isolated.TOPIC, List.of(
                    "{\"device_id\":\"api-probe\",\"timestamp\":" + (minute + 1_000) + ",\"temperature\":-3.5}"));
        }
        Awaitility.await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> given().when().get("/api/devices/api-probe/windows")
                .then().statusCode(200)
                .body("windows.size()", equalTo(1))
                .body("windows[0].state", equalTo("open"))
                .body("windows[0].version", equalTo(0))
                .body("windows[0].message_count", equalTo(1))
                .body("windows[0].metrics.temperature.max", equalTo(-3.5f)));
        given().when().get("/api/devices/nobody/windows").then().statusCode(404);

        given().when().get("/api/partitions").then().statusCode(200)
                .body("partition", containsInAnyOrder(0, 1, 2, 3))
                .body("position", not(hasItem(nullValue())))
                .body("watermark", not(hasItem(nullValue())));
        given().when().get("/api/checkpoints").then().statusCode(200)
                .body("partition", containsInAnyOrder(0, 1, 2, 3))
                .body("latest.status", everyItem(equalTo("COMPLETED")))
                .body("history.collect { it.size() }", everyItem(greaterThan(0)));

        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String name : List.of("rollup_readings_received_total", "rollup_readings_rejected_total",
                "rollup_dead_letters_total", "rollup_windows_closed_total", "rollup_checkpoint_duration_seconds_count",
                "rollup_checkpoint_uploaded_bytes_total", "rollup_sink_rows_written_total", "rollup_sink_write_seconds_bucket",
                "rollup_partitions_owned")) {
            assertTrue(metrics.contains(name), name + " exported");
        }
        // every metric the Grafana dashboard and the alerts next to the manifests query is exported
        Path k8s = Path.of(System.getProperty("sensorrollup.repo", ".")).resolve("k8s");
        String queries = java.nio.file.Files.readString(k8s.resolve("grafana/sensor-rollup.json"))
                + java.nio.file.Files.readString(k8s.resolve("monitoring/prometheusrule.yaml"));
        java.util.regex.Matcher queried = java.util.regex.Pattern.compile("rollup_[a-z_]+").matcher(queries);
        java.util.Set<String> names = new java.util.TreeSet<>();
        while (queried.find()) {
            names.add(queried.group());
        }
        assertTrue(names.size() >= 20 && names.contains("rollup_checkpoint_last_completed_timestamp_seconds"), names.toString());
        for (String name : names) {
            assertTrue(metrics.contains("\n" + name + "{") || metrics.contains("\n" + name + " "),
                    "the dashboard or an alert queries " + name + ", which the service does not export");
        }
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

    private long outboxRows() {
        return partitions.tasks().stream().mapToLong(PartitionTask::outboxRows).sum();
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
}
