package io.sensorrollup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pulsar.client.api.PulsarClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 5: SIGTERM while a checkpoint uploads (held 5 s before its manifest by the test hook). The
 * final checkpoint waits for it, takes its own and acknowledges it before the consumer, the S3 client and the
 * pools close: the process exits well within a pod's grace period, the subscription has nothing left to
 * deliver, and the restart replays nothing (redelivers nothing its restored state already covers).
 */
class SigtermDuringCheckpointIT {

    private static final int PARTITIONS = 2;
    private static final Duration GRACE = Duration.ofSeconds(60); // k8s/ terminationGracePeriodSeconds

    @Test
    void aStopDuringACheckpointCommitsTheFinalCheckpointAndTheRestartReplaysNothing() throws Exception {
        IsolatedRun run = IsolatedRun.create("sigterm-it", PARTITIONS);
        List<String> corpus = Corpus.generate("--devices", "100", "--rate", "500", "--count", "20000");
        Map<String, String> env = LocalServersResource.servers().env();
        try (PulsarClient client = PulsarClient.builder().serviceUrl(env.get("PULSAR_SERVICE_URL")).build()) {
            Corpus.createTopic(env.get("PULSAR_ADMIN_URL"), run.topic(), PARTITIONS);
            Map<String, String> config = run.serviceConfig("pod-0");
            config.put("sensorrollup.test.pause-at", "before-manifest");
            config.put("sensorrollup.test.pause-millis", "10000");
            ServiceProcess first = ServiceProcess.start(run.id() + "-first", config);
            // checkpoints 1 and 2 commit; the third, with the second half processed, is held before its manifest.
            // Each of the first two follows readings of its own: a checkpoint commits only what changed, and a first
            // half processed within one interval would leave checkpoint 2 to the idle timeout's watermark advance
            Corpus.publish(client, run.topic(), corpus.subList(0, 5_000));
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> first.logged("Completed checkpoint 1 for partition 0"));
            Corpus.publish(client, run.topic(), corpus.subList(5_000, 10_000));
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> first.logged("Completed checkpoint 2 for partition 0"));
            Corpus.publish(client, run.topic(), corpus.subList(10_000, corpus.size()));
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> first.logged("PAUSED at before-manifest"));
            // every reading taken while checkpoint 3 is still held: the final checkpoint has all of them to cover
            Awaitility.await().atMost(Duration.ofSeconds(8)).until(() -> first.metric("rollup_readings_received_total") == corpus.size());

            Duration exit = first.terminate(GRACE);
            System.out.printf("SigtermDuringCheckpointIT: exited %s after SIGTERM with %d%n", exit, first.exitValue());
            String log = first.logText();
            assertTrue(exit.compareTo(Duration.ofSeconds(30)) < 0, "exit took " + exit);
            for (String broken : List.of("\"consumer\" is null", "Connection pool shut down", "RejectedExecutionException",
                    "ArC container not initialized", "Final checkpoint failed", "Final checkpoint did not finish")) {
                assertFalse(log.contains(broken), "the shutdown logged '" + broken + "'; see target/" + run.id() + "-first.log");
            }
            assertEquals(Map.of(0, 0L, 1, 0L), backlog(env, run), "the final checkpoint acknowledged everything processed");

            try (ServiceProcess second = ServiceProcess.start(run.id() + "-second", run.serviceConfig("pod-0"))) {
                Thread.sleep(3_000);
                assertEquals(0.0, second.metric("rollup_readings_received_total"), "the restart received readings again");
                assertEquals(0.0, second.metric("rollup_readings_replayed_total"), "the restart replayed readings");
            }
        }
    }

    /** msgBacklog of the subscription per partition, from the broker. */
    private static Map<Integer, Long> backlog(Map<String, String> env, IsolatedRun run) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                env.get("PULSAR_ADMIN_URL") + "/admin/v2/" + run.topic().replace("://", "/")
                        + "/partitioned-stats?perPartition=true")).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode partitions = new ObjectMapper().readTree(response.body()).path("partitions");
        Map<Integer, Long> backlog = new java.util.TreeMap<>();
        partitions.fields().forEachRemaining(e -> backlog.put(Integer.parseInt(e.getKey().replaceAll(".*-partition-", "")),
                e.getValue().path("subscriptions").path("sensor-rollup").path("msgBacklog").asLong(-1)));
        return backlog;
    }
}
