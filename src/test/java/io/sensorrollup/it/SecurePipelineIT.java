package io.sensorrollup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.PulsarClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The pipeline end to end on the secured servers of {@code dev/services up --secure} (Pulsar over TLS with a token and
 * authorization, S3 over HTTPS, ClickHouse over HTTPS with a password, PostgreSQL verify-full with SCRAM), configured
 * only by the servers' environment: endpoints and the paths of the secret files, no secret value. Rows in both stores
 * equal the reference; no secret appears in the service's log or health.
 */
class SecurePipelineIT {

    @Test
    void readingsEndUpInBothStoresOverTlsAndNoSecretIsEverShown() throws Exception {
        SecureServers servers = SecureServers.up();
        Map<String, String> env = servers.env();
        IsolatedRun run = IsolatedRun.create("secure-pipeline", 2);
        servers.createTopic(run.topic(), run.partitions()); // the service's role may not create topics
        List<String> corpus = Corpus.generateEndingOnAMinute(4_000, 100, "--devices", "100");

        Map<String, String> config = run.serviceConfig("a");
        config.put("rollup.window.idle-timeout", "3s");
        config.put("rollup.checkpoint.interval", "2s");
        config.put("rollup.sink", "clickhouse,postgresql");
        config.put("rollup.sink.max-delay", "500ms");
        Path log = Path.of("target", run.id() + ".log");
        try (ServiceProcess service = ServiceProcess.start(run.id(), config, List.of(), servers.serviceEnv())) {
            try (PulsarClient client = servers.adminClient()) {
                Corpus.publish(client, run.topic(), corpus);
            }
            ReferenceRows expected = new ReferenceRows(corpus);
            StoredRows.awaitReadings("SecurePipelineIT clickhouse", expected.validReadings(),
                    () -> StoredRows.clickhouse(env, run.database()));
            StoredRows.awaitReadings("SecurePipelineIT postgresql", expected.validReadings(),
                    () -> StoredRows.postgres(env, run.database()));
            expected.assertStored(StoredRows.clickhouse(env, run.database()),
                    StoredRows.clickhouseTimeResolution(env, run.database()), "clickhouse");
            expected.assertStored(StoredRows.postgres(env, run.database()), 1, "postgresql");
            Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofSeconds(1))
                    .until(() -> servers.subscriptionBacklog(run.topic()) == 0);
            Awaitility.await().atMost(30, TimeUnit.SECONDS)
                    .until(() -> service.metric("rollup_checkpoint_duration_seconds_count") > 0); // checkpoints reach S3 over HTTPS

            String health = service.get("/q/health").body() + service.get("/q/health/group/dependencies").body();
            assertTrue(health.contains("https://127.0.0.1") && !health.contains("\"DOWN\""), health);
            assertNoSecret(servers, health, "health");
        }
        String text = Files.readString(log);
        assertTrue(text.contains("clickhouse prepared at https://") && text.contains("pulsar prepared at https://"), text);
        assertNoSecret(servers, text, log.toString());
    }

    /** None of the secured servers' secret values, nor a sizeable piece of one, in {@code text}. */
    static void assertNoSecret(SecureServers servers, String text, String where) {
        for (String name : SecureServers.SECRETS) {
            String secret = servers.secret(name);
            assertNotNull(secret, name + " in secrets.env");
            assertFalse(text.contains(secret), name + "'s value appears in " + where);
            // a JWT's signature alone identifies it: no part of it either
            String tail = secret.substring(Math.max(0, secret.length() - 16));
            assertFalse(text.contains(tail), "the end of " + name + "'s value appears in " + where);
        }
        assertEquals(-1, text.indexOf("eyJ"), "a JWT (eyJ...) appears in " + where);
    }
}
