package io.sensorrollup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pulsar.client.api.PulsarClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The topic's partition count is fixed while the service runs on it (CONTRACT §6): more partitions would
 * move devices between partitions and split their open windows. A count that differs from the
 * checkpointed one stops start-up naming both; a count raised while the service runs is not picked up,
 * and the service says so in its log, its metrics and its readiness.
 */
class PartitionCountIT {

    @Test
    void aRaisedPartitionCountStopsTheNextStartUpNamingBothCounts() throws Exception {
        IsolatedRun run = IsolatedRun.create("partition-count-it", 2);
        Map<String, String> config = run.serviceConfig("pod-0");
        List<String> corpus = Corpus.generate("--devices", "50", "--rate", "500", "--count", "2000");
        Map<String, String> env = LocalServersResource.servers().env();
        try (PulsarClient client = PulsarClient.builder().serviceUrl(env.get("PULSAR_SERVICE_URL")).build()) {
            Corpus.createTopic(env.get("PULSAR_ADMIN_URL"), run.topic(), 2);
            Corpus.publish(client, run.topic(), corpus);
            try (ServiceProcess first = ServiceProcess.start(run.id() + "-first", config)) {
                awaitReceived(first, corpus.size());
            }

            Corpus.raisePartitions(env.get("PULSAR_ADMIN_URL"), run.topic(), 3);
            String log = ServiceProcess.failedStart(run.id() + "-raised", config);
            assertTrue(log.contains("Topic " + run.topic() + " has 3 partitions")
                    && log.contains("checkpoints") && log.contains("with 2 partitions")
                    && log.contains("see README: Rescaling"), "the start-up error names the topic, both counts and the way"
                    + " to rescale; see target/" + run.id() + "-raised.log");
        }
    }

    @Test
    void aPartitionAddedWhileRunningIsNotConsumedAndShowsInLogMetricsAndReadiness() throws Exception {
        IsolatedRun run = IsolatedRun.create("partition-added-it", 2);
        Map<String, String> config = run.serviceConfig("pod-0");
        config.put("rollup.source.partition-check-interval", "2s");
        // the client's own discovery of new partitions, every 5 s instead of 60 s: when on, it shows in the test
        config.put("mp.messaging.incoming.readings.autoUpdatePartitionsIntervalSeconds", "5");
        List<String> corpus = Corpus.generate("--devices", "50", "--rate", "500", "--count", "2000");
        Map<String, String> env = LocalServersResource.servers().env();
        try (PulsarClient client = PulsarClient.builder().serviceUrl(env.get("PULSAR_SERVICE_URL")).build()) {
            Corpus.createTopic(env.get("PULSAR_ADMIN_URL"), run.topic(), 2);
            Corpus.publish(client, run.topic(), corpus.subList(0, 1_000));
            try (ServiceProcess service = ServiceProcess.start(run.id(), config)) {
                awaitReceived(service, 1_000);
                Corpus.raisePartitions(env.get("PULSAR_ADMIN_URL"), run.topic(), 3);
                Corpus.publish(client, run.topic() + "-partition-2", corpus.subList(1_000, 2_000));

                Thread.sleep(15_000); // three of the client's discovery periods, seven of the service's checks
                assertTrue(service.isAlive(), "a changed count is reported, not a reason to exit (and restart in a loop)");
                assertEquals(1_000, service.metric("rollup_readings_received_total"), 0.0,
                        "nothing read from the partition added while running");
                assertEquals(1, service.metric("rollup_topic_partitions_changed"), 0.0, "the change as a metric");
                assertEquals(3, service.metric("rollup_topic_partitions"), 0.0, "the topic's count as the broker has it");
                HttpResponse<String> ready = service.get("/q/health/ready");
                assertEquals(503, ready.statusCode(), ready.body());
                assertTrue(ready.body().contains("topic-partitions") && ready.body().contains("see README: Rescaling"),
                        ready.body());
                assertTrue(service.logged("Topic " + run.topic() + " has 3 partitions now, the service runs on 2"),
                        "the log names both counts");
            }
        }
    }

    private static void awaitReceived(ServiceProcess service, long readings) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> service.metric("rollup_readings_received_total") >= readings);
    }
}
