package io.sensorrollup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.pulsar.client.api.PulsarClient;
import org.junit.jupiter.api.Test;

/**
 * The rescaling procedure of the README: a savepoint while windows are open, every pod stopped, the topic's partitions
 * raised from 4 to 8, and a start from the savepoint. Each open window moves to the partition its device's readings go
 * to now (by the producers' key hash), so the rows in both stores are the reference's, and none is emitted twice.
 */
class RescaleIT {

    @Test
    void fourPartitionsBecomeEightThroughASavepointTakenWhileWindowsAreOpenAndEveryRowIsTheReferencesOnce() throws Exception {
        IsolatedRun run = IsolatedRun.create("rescale-it", 4);
        String token = UUID.randomUUID().toString();
        // 40 s of event time: the savepoint halfway falls inside every device's open minute
        List<String> corpus = Corpus.generate("--devices", "200", "--rate", "500", "--count", "20000");
        ReferenceRows expected = new ReferenceRows(corpus);
        Map<String, String> env = LocalServersResource.servers().env();
        String adminUrl = env.get("PULSAR_ADMIN_URL");
        try (PulsarClient client = PulsarClient.builder().serviceUrl(env.get("PULSAR_SERVICE_URL")).build()) {
            Corpus.createTopic(adminUrl, run.topic(), 4);
            List<ServiceProcess> pods = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    pods.add(ServiceProcess.start(run.id() + "-four-" + i, config(run, "pod-" + i, token, 4)));
                }
                Corpus.publish(client, run.topic(), corpus.subList(0, 10_000));
                ServiceProcess.awaitReceived(pods, 10_000);
                HttpResponse<String> taken = pods.get(0).post("/api/savepoints?name=before-eight", "Bearer " + token);
                assertEquals(201, taken.statusCode(), taken.body());
            } finally {
                for (ServiceProcess pod : pods) {
                    pod.close();
                }
            }

            Corpus.raisePartitions(adminUrl, run.topic(), 8); // the broker gives the subscription the new partitions too
            // a new producer sees 8 partitions and sends each device to its partition among them
            Corpus.publish(client, run.topic(), corpus.subList(10_000, 20_000));

            Map<String, String> config = config(run, "pod-0", token, 8);
            config.put("rollup.checkpoint.restore-savepoint", "before-eight");
            try (ServiceProcess eight = ServiceProcess.start(run.id() + "-eight", config)) {
                assertTrue(eight.logged("windows moved from 4 to 8 partitions"), "the start rescaled the savepoint");
                String db = run.database();
                StoredRows.awaitReadings("RescaleIT clickhouse", expected.validReadings(), () -> StoredRows.clickhouse(env, db));
                StoredRows.awaitReadings("RescaleIT postgresql", expected.validReadings(), () -> StoredRows.postgres(env, db));
                expected.assertStored(StoredRows.clickhouse(env, db), StoredRows.clickhouseTimeResolution(env, db), "clickhouse");
                expected.assertStored(StoredRows.postgres(env, db), 1, "postgresql");
                assertEquals(StoredRows.clickhouseCount(env, db, true), StoredRows.clickhouseCount(env, db, false),
                        "no window emitted twice: as many rows before FINAL as after");
                assertEquals(10_000, eight.metric("rollup_readings_received_total"), 0.0, "each reading after the savepoint once");
                assertEquals(0, eight.metric("rollup_readings_rejected_total"), 0.0, "none late");
            }

            try (ServiceProcess again = ServiceProcess.start(run.id() + "-again", config)) {
                assertTrue(again.logged("was applied by an earlier start-up"), "the same setting again changes nothing");
                Thread.sleep(2_000);
                assertEquals(0, again.metric("rollup_readings_received_total"), 0.0, "no second rewind");
            }
        }
    }

    private static Map<String, String> config(IsolatedRun run, String pod, String token, int partitions) {
        Map<String, String> config = run.serviceConfig(pod);
        config.put("rollup.api.token", token);
        config.put("rollup.sink", "clickhouse,postgresql");
        config.put("rollup.source.partitions", Integer.toString(partitions));
        return config;
    }
}
