package io.sensorrollup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.pulsar.client.api.PulsarClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A savepoint asked of one of three instances covers every partition of the topic, whichever pod runs it; starting
 * from it (Flink's {@code -s}) the state goes back to the savepoint, the subscription is rewound to it, the readings
 * after it are processed again and counted once; a later start-up with the setting still in place changes nothing.
 */
class SavepointRestoreIT {

    @Test
    void aSavepointAskedOfOnePodCoversTheTopicAndAStartFromItReplaysWhatCameAfterItOnceAndOnlyOnce() throws Exception {
        IsolatedRun run = IsolatedRun.create("savepoint-it", 4);
        String token = UUID.randomUUID().toString();
        Map<String, String> config = run.serviceConfig("pod-0");
        config.put("rollup.api.token", token);
        List<String> corpus = Corpus.generate("--devices", "200", "--rate", "500", "--count", "20000");
        ReferenceRows expected = new ReferenceRows(corpus);
        Map<String, String> env = LocalServersResource.servers().env();
        try (PulsarClient client = PulsarClient.builder().serviceUrl(env.get("PULSAR_SERVICE_URL")).build()) {
            Corpus.createTopic(env.get("PULSAR_ADMIN_URL"), run.topic(), run.partitions());
            List<ServiceProcess> pods = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Map<String, String> pod = run.serviceConfig("pod-" + i);
                    pod.put("rollup.api.token", token);
                    pods.add(ServiceProcess.start(run.id() + "-first-" + i, pod));
                }
                Corpus.publish(client, run.topic(), corpus.subList(0, 10_000));
                ServiceProcess.awaitReceived(pods, 10_000);
                assertTrue(pods.stream().filter(p -> owned(p) > 0).count() >= 2, "the partitions are spread over the pods");

                HttpResponse<String> taken = pods.get(2).post("/api/savepoints?name=sp1", "Bearer " + token);
                assertEquals(201, taken.statusCode(), taken.body());
                assertTrue(taken.body().contains("\"partitions\":[0,1,2,3]") && taken.body().contains("\"complete\":true"),
                        "one pod's request covers every partition: " + taken.body());
                Corpus.publish(client, run.topic(), corpus.subList(10_000, 20_000));
                ServiceProcess.awaitReceived(pods, 20_000);
            } finally {
                for (ServiceProcess pod : pods) {
                    pod.close();
                }
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

    private static int owned(ServiceProcess pod) {
        try {
            return (int) pod.metric("rollup_partitions_owned");
        } catch (Exception e) {
            return 0;
        }
    }

    private static void awaitReceived(ServiceProcess service, long readings) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> service.metric("rollup_readings_received_total") >= readings);
    }
}
