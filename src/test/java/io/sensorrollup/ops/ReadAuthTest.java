package io.sensorrollup.ops;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 14: with {@code rollup.api.read-auth=true} every GET under {@code /api} needs the credentials of the
 * mutating calls (401 otherwise), while health and metrics stay open. Runs the embedded profile (no server).
 */
@QuarkusTest
@TestProfile(ReadAuthTest.ReadAuth.class)
class ReadAuthTest {

    static final String TOKEN = UUID.randomUUID().toString();

    public static class ReadAuth implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "embedded";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(EmbeddedProfileTest.Embedded.overrides(
                    Path.of("target", "read-auth-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath()));
            overrides.put("rollup.api.read-auth", "true");
            overrides.put("rollup.api.token", TOKEN);
            overrides.put("rollup.api.user", "ops");
            overrides.put("rollup.api.password", "s3cret");
            return overrides;
        }
    }

    private static final List<String> READS = List.of("/api/partitions", "/api/checkpoints", "/api/savepoints",
            "/api/devices/sensor_00001/windows", "/api/devices/sensor_00001/rows", "/api/topic/partitions", "/api/pod",
            "/api/history");

    @Test
    void everyReadNeedsCredentials() {
        for (String path : READS) {
            given().when().get(path).then().statusCode(401);
            given().header("Authorization", "Bearer wrong").when().get(path).then().statusCode(401);
            given().header("Authorization", "Bearer " + TOKEN).when().get(path).then().statusCode(not(401));
            given().header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    "ops:s3cret".getBytes(StandardCharsets.UTF_8))).when().get(path).then().statusCode(not(401));
        }
        given().when().get("/api/no-such-endpoint").then().statusCode(401);
    }

    /** The console's page and its files are open, so it can load and ask for the credentials its reads need. */
    @Test
    void theConsoleItselfIsServedWithoutCredentials() {
        for (String path : List.of("/", "/index.html", "/console.js", "/console.css",
                "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js")) {
            given().when().get(path).then().statusCode(200);
        }
    }

    @Test
    void healthAndMetricsStayOpen() {
        for (String path : List.of("/q/health", "/q/health/live", "/q/health/ready", "/q/health/started", "/q/metrics")) {
            given().when().get(path).then().statusCode(not(401));
        }
    }
}
