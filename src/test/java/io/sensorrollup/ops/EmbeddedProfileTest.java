package io.sensorrollup.ops;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The {@code embedded} profile runs with no server at all: the simulated fleet in-process, file
 * checkpoints, rows to the log. Its Pulsar, ClickHouse and PostgreSQL endpoints point at closed ports,
 * so anything that tried to reach them would fail start-up or readiness.
 */
@QuarkusTest
@TestProfile(EmbeddedProfileTest.Embedded.class)
class EmbeddedProfileTest {

    public static class Embedded implements QuarkusTestProfile {
        static final Path DIR = Path.of("target", "embedded-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();

        @Override
        public String getConfigProfile() {
            return "embedded";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return overrides(DIR);
        }

        /** The embedded profile's settings for a test, its checkpoints and state under {@code dir}. */
        static Map<String, String> overrides(Path dir) {
            return Map.of(
                    "rollup.checkpoint.store", "file:" + dir.resolve("checkpoints"),
                    "rollup.checkpoint.interval", "1s",
                    "rollup.state.dir", dir.resolve("state").toString(),
                    "rollup.windows", "1s",
                    "rollup.simulator.rate", "5000",
                    "pulsar.client.serviceUrl", "pulsar://127.0.0.1:1",
                    "rollup.source.admin-url", "http://127.0.0.1:1",
                    "rollup.clickhouse.url", "http://127.0.0.1:1",
                    "quarkus.http.test-port", "0");
        }
    }

    @Test
    void windowsCloseAndCheckpointsCommitWithoutAnyServer() {
        Awaitility.await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("rollup_sink_rows_written_total{sink=\"log\"")
                    && !l.endsWith(" 0.0")), "closed windows written to the log");
            assertTrue(checkpoints() > 0, "checkpoints in the file store");
        });
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", containsInAnyOrder("SmallRye Reactive Messaging - readiness check",
                        "partitions-restored", "checkpoint-store-prepared"));
        given().when().get("/q/health/group/dependencies").then().statusCode(200)
                .body("checks.name", containsInAnyOrder("checkpoint-store"));
        given().when().get("/api/partitions").then().statusCode(200).body("size()", equalTo(2));
        given().when().get("/api/devices/sensor_00001/windows").then().statusCode(200)
                .body("device_id", equalTo("sensor_00001"));
        // the console's reads: every partition with its state, with no broker to ask
        given().when().get("/api/topic/partitions").then().statusCode(200)
                .body("partitions.state", contains("RUNNING", "RUNNING"))
                .body("brokerError", nullValue());
        given().when().get("/api/pod").then().statusCode(200).body("uptimeSeconds", greaterThanOrEqualTo(0));
        Awaitility.await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> given().when().get("/api/history").then()
                .statusCode(200).body("samples.size()", greaterThanOrEqualTo(1)));
        // rows are read from ClickHouse, which this profile does not write to
        given().when().get("/api/devices/sensor_00001/rows").then().statusCode(404);
        given().when().get("/").then().statusCode(200).body(containsString("sensor-rollup console"));
    }

    private static long checkpoints() throws java.io.IOException {
        Path store = Embedded.DIR.resolve("checkpoints");
        if (!Files.exists(store)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(store)) {
            return files.filter(p -> p.getFileName().toString().equals("_metadata")).count();
        }
    }
}
