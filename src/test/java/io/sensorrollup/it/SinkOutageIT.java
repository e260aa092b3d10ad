package io.sensorrollup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorrollup.ops.dev.LocalServers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.PulsarClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * ClickHouse and PostgreSQL stopped for a minute each while readings stream in, the second outage starting half-way
 * through the first (one store down, both, then the other): the dependencies' health group turns DOWN naming each store
 * while readiness stays UP (the pod does its work: CONTRACT §6), the outbox grows on disk, nothing is lost, each
 * check is UP again once its store is back, and the rows catch up.
 */
class SinkOutageIT {

    private static final Duration OUTAGE = Duration.ofSeconds(60);
    private static final int RATE = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aStoreDownForAMinuteLosesNothing() throws Exception {
        IsolatedRun run = IsolatedRun.create("outage-it", 2).idleAfter("10s");
        Map<String, String> config = run.serviceConfig("pod-0");
        config.put("rollup.sink", "clickhouse,postgresql");
        config.put("rollup.sink.max-delay", "500ms");
        config.put("rollup.sink.max-retry-backoff", "2s");
        List<String> corpus = Corpus.generateEndingOnAMinute(45_000, RATE, "--devices", "300");
        ReferenceRows expected = new ReferenceRows(corpus);
        LocalServers servers = LocalServersResource.servers();
        Map<String, String> env = servers.env();

        try (PulsarClient client = PulsarClient.builder().serviceUrl(env.get("PULSAR_SERVICE_URL")).build()) {
            Corpus.createTopic(env.get("PULSAR_ADMIN_URL"), run.topic(), run.partitions());
            try (ServiceProcess service = ServiceProcess.start(run.id(), config)) {
                // 150 s of readings at the pace of their event time, its first minute closed after 30 s, both outages inside
                CompletableFuture<Void> publishing = CompletableFuture.runAsync(
                        () -> Corpus.publishPaced(client, run.topic(), corpus, RATE));
                Awaitility.await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
                        .until(() -> !StoredRows.clickhouse(env, run.database()).isEmpty());
                Thread.sleep(OUTAGE.toMillis() / 4); // so the next close, a minute after the first, falls in both outages
                long clickhouseDown = down(servers, service, "clickhouse");
                sleepUntil(clickhouseDown + OUTAGE.toNanos() / 2);
                long postgresDown = down(servers, service, "postgres");
                back(servers, service, "clickhouse", clickhouseDown);
                back(servers, service, "postgres", postgresDown);
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> service.metric("rollup_outbox_rows") == 0);
                assertTrue(service.metric("rollup_sink_retries_total") > 0, "failed writes were retried");
                assertEquals(200, service.get("/q/health/ready").statusCode());
                assertEquals(200, service.get("/q/health/group/dependencies").statusCode());
                publishing.join();

                long resolution = StoredRows.clickhouseTimeResolution(env, run.database());
                StoredRows.awaitReadings("SinkOutageIT clickhouse", expected.validReadings(),
                        () -> StoredRows.clickhouse(env, run.database()));
                StoredRows.awaitReadings("SinkOutageIT postgresql", expected.validReadings(),
                        () -> StoredRows.postgres(env, run.database()));
                expected.assertStored(StoredRows.clickhouse(env, run.database()), resolution, "clickhouse");
                expected.assertStored(StoredRows.postgres(env, run.database()), 1, "postgresql");
            }
        } finally {
            servers.up();
        }
    }

    /** dev/chaos seed 8138: a pod restarted during a PostgreSQL outage longer than the start-up timeout exited 1. */
    @Test
    void aPodThatStartsWhileAStoreIsDownStartsWithoutItAndWritesItsRowsWhenItIsBack() throws Exception {
        IsolatedRun run = IsolatedRun.create("sink-down-start-it", 2);
        Map<String, String> config = run.serviceConfig("pod-0");
        config.put("rollup.sink", "clickhouse,postgresql");
        config.put("rollup.sink.max-delay", "200ms");
        config.put("rollup.sink.max-retry-backoff", "2s");
        config.put("rollup.window.idle-timeout", "5s");
        config.put("rollup.startup.dependency-timeout", "5s");
        List<String> corpus = Corpus.generateEndingOnAMinute(3_000, 200, "--devices", "50");
        ReferenceRows expected = new ReferenceRows(corpus);
        LocalServers servers = LocalServersResource.servers();
        Map<String, String> env = servers.env();
        try (PulsarClient client = PulsarClient.builder().serviceUrl(env.get("PULSAR_SERVICE_URL")).build()) {
            Corpus.createTopic(env.get("PULSAR_ADMIN_URL"), run.topic(), run.partitions());
            Corpus.publish(client, run.topic(), corpus);
            servers.down("postgres");
            try (ServiceProcess service = ServiceProcess.launch(run.id(), config)) {
                Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                        .until(() -> !service.isAlive() || StoredRows.clickhouse(env, run.database()).stream()
                                .mapToLong(r -> (Long) r.get("message_count")).sum() >= expected.validReadings());
                assertTrue(service.isAlive(), "the service exited while PostgreSQL was down; see target/" + run.id() + ".log");
                assertTrue(service.logged("start-up goes on without it"), "the log says start-up went on without the store");
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> service.metric("rollup_outbox_rows") > 0);
                System.out.printf("SinkOutageIT: started with postgresql down; clickhouse complete, %.0f rows waiting%n",
                        service.metric("rollup_outbox_rows"));

                servers.up("postgres");
                StoredRows.awaitReadings("SinkOutageIT postgresql, back", expected.validReadings(),
                        () -> StoredRows.postgres(env, run.database()));
                expected.assertStored(StoredRows.clickhouse(env, run.database()),
                        StoredRows.clickhouseTimeResolution(env, run.database()), "clickhouse");
                expected.assertStored(StoredRows.postgres(env, run.database()), 1, "postgresql");
                assertTrue(service.logged("postgresql prepared at"), "the store was prepared once it answered");
            }
        } finally {
            servers.up();
        }
    }

    /**
     * Stops {@code server}: its check turns DOWN, readiness stays UP.
     *
     * @return when it stopped ({@link System#nanoTime})
     */
    private static long down(LocalServers servers, ServiceProcess service, String server) throws Exception {
        String check = check(server);
        long down = System.nanoTime();
        servers.down(server);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "DOWN".equals(dependencies(service).get(check)));
        var ready = service.get("/q/health/ready");
        assertEquals(200, ready.statusCode(), "a shared dependency down keeps no pod from its work: " + ready.body());
        assertEquals(503, service.get("/q/health/group/dependencies").statusCode());
        System.out.printf("SinkOutageIT: %s down, its health group DOWN naming it, readiness UP%n", server);
        return down;
    }

    /**
     * Starts {@code server} again {@link #OUTAGE} after it stopped, the closed rows it missed waiting in the outbox,
     * and waits for its check to be UP.
     */
    private static void back(LocalServers servers, ServiceProcess service, String server, long downAt) throws Exception {
        sleepUntil(downAt + OUTAGE.toNanos());
        double outbox = service.metric("rollup_outbox_rows");
        assertTrue(outbox > 0, "the rows closed while " + server + " was down wait in the outbox");
        assertEquals(200, service.get("/q/health/ready").statusCode());
        servers.up(server);
        long up = System.nanoTime();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "UP".equals(dependencies(service).get(check(server))));
        System.out.printf("SinkOutageIT: %s back after %.0f rows waited in the outbox, its check UP %d ms later%n", server,
                outbox, (System.nanoTime() - up) / 1_000_000);
        assertEquals(200, service.get("/q/health/ready").statusCode());
    }

    private static String check(String server) {
        return server.equals("postgres") ? "postgresql" : server;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000);
        }
    }

    /** Each dependency check's status by name. */
    private static Map<String, String> dependencies(ServiceProcess service) throws Exception {
        JsonNode body = JSON.readTree(service.get("/q/health/group/dependencies").body());
        Map<String, String> status = new java.util.HashMap<>();
        for (JsonNode c : body.path("checks")) {
            status.put(c.path("name").asText(), c.path("status").asText());
        }
        return status;
    }
}
