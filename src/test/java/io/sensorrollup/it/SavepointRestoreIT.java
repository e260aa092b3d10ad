package io.sensorrollup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.pulsar.client.api.PulsarClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Starting from a named savepoint (Flink's {@code -s}): the state goes back to the savepoint, the
 * subscription is rewound to it, the readings after it are processed again and counted once; a later
 * start-up with the setting still in place changes nothing.
 */
class SavepointRestoreIT {

    @Test
    void aStartFromASavepointReplaysWhatCameAfterItOnceAndOnlyOnce() throws Exception {
        IsolatedRun run = IsolatedRun.create("savepoint-it", 2);
        String token = UUID.randomUUID().toString();
        Map<String, String> config = run.serviceConfig("pod-0");
        config.put("rollup.api.token", token);
        List<String> corpus = Corpus.generate("--devices", "200", "--rate", "500", "--count", "20000");
        ReferenceRows expected = new ReferenceRows(corpus);
        Map<String, String> env = LocalServersResource.servers().env();
        try (PulsarClient client = PulsarClient.builder().serviceUrl(env.get("PULSAR_SERVICE_URL")).build()) {
            Corpus.createTopic(env.get("PULSAR_ADMIN_URL"), run.topic(), run.partitions());
            Corpus.publish(client, run.topic(), corpus.subList(0, 10_000));
            try (ServiceProcess first = ServiceProcess.start(run.id() + "-first", config)) {
                awaitReceived(first, 10_000);
                assertEquals(201, first.post("/api/savepoints?name=sp1", "Bearer " + token).statusCode());
                Corpus.publish(client, run.topic(), corpus.subList(10_000, 20_000));
                awaitReceived(first, 20_000);
            }

            config.put("rollup.checkpoint.restore-savepoint", "never-taken");
            String refused = ServiceProcess.failedStart(run.id() + "-missing", config);
            assertTrue(refused.contains("rollup.checkpoint.restore-savepoint=never-taken: no savepoint named never-taken"),
                    "a savepoint that does not exist stops start-up naming the key");

            config.put("rollup.checkpoint.restore-savepoint", "sp1");
            try (ServiceProcess second = ServiceProcess.start(run.id() + "-second", config)) {
                assertTrue(second.logged("Started from savepoint sp1"), "restored from the savepoint");
                awaitReceived(second, 10_000); // what came after the savepoint, again
                String db = run.database();
                StoredRows.awaitReadings("SavepointRestoreIT", expected.validReadings(), () -> StoredRows.clickhouse(env, db));
                expected.assertStored(StoredRows.clickhouse(env, db), StoredRows.clickhouseTimeResolution(env, db), "clickhouse");
                assertEquals(10_000, second.metric("rollup_readings_received_total"), 0.0, "each reading after the savepoint once");
                assertEquals(0, second.metric("rollup_readings_rejected_total"), 0.0, "none late: the state went back too");
            }

            try (ServiceProcess third = ServiceProcess.start(run.id() + "-third", config)) {
                assertTrue(third.logged("was applied by an earlier start-up"));
                Thread.sleep(5_000);
                assertEquals(0, third.metric("rollup_readings_received_total"), 0.0, "no second rewind");
            }
        }
    }

    private static void awaitReceived(ServiceProcess service, long readings) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> service.metric("rollup_readings_received_total") >= readings);
    }
}
