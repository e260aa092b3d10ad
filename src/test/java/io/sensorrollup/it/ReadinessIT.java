package io.sensorrollup.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.clickhouse.client.api.Client;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorrollup.source.pulsar.PulsarTopicAdmin;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The service against the four real local servers: what start-up created, what readiness says (this pod can do its
 * work) and what the dependencies' own health group says.
 */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadinessIT {

    @Inject
    PulsarTopicAdmin pulsar;

    @Inject
    S3Client s3;

    @Inject
    Client clickhouse;

    @Test
    @Order(1)
    void readyWithOneCheckPerDependencyInItsOwnGroup() {
        // servers started a moment ago may take a few seconds to answer everything
        Awaitility.await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> given().when().get("/q/health/group/dependencies")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", containsInAnyOrder("pulsar", "checkpoint-store", "clickhouse", "postgresql"))
                .body("checks.status", containsInAnyOrder("UP", "UP", "UP", "UP")));
        given().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", not(hasItems("clickhouse")))
                // ready only once Pulsar has placed every partition (here or elsewhere) and the owned ones are restored
                .body("checks.find { it.name == 'partitions-restored' }.data.unassigned", equalTo("[]"))
                .body("checks.find { it.name == 'partitions-restored' }.data.restoring", equalTo("[]"));
    }

    @Test
    @Order(2)
    void startupCreatedTopicBucketAndDatabase() throws Exception {
        assertEquals(8, pulsar.partitions());
        s3.headBucket(b -> b.bucket("sensor-rollup"));
        try (var response = clickhouse.query("SELECT name FROM system.databases WHERE name = 'rollup' FORMAT TabSeparated")
                .get(10, TimeUnit.SECONDS);
                InputStream body = response.getInputStream()) {
            assertEquals("rollup\n", new String(body.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    @Order(3)
    void stoppingPostgresTurnsItsCheckDownAndLeavesThePodReady() {
        var servers = LocalServersResource.servers();
        servers.down("postgres");
        try {
            given().when().get("/q/health/group/dependencies").then()
                    .statusCode(503)
                    .body("status", equalTo("DOWN"))
                    .body("checks.findAll { it.status == 'DOWN' }.name", equalTo(java.util.List.of("postgresql")));
            given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        } finally {
            servers.up("postgres");
        }
        Awaitility.await().atMost(30, TimeUnit.SECONDS).untilAsserted(() ->
                given().when().get("/q/health/group/dependencies").then().statusCode(200).body("status", equalTo("UP")));
    }
}
