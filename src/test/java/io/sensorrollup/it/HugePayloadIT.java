package io.sensorrollup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pulsar.client.api.PulsarClient;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 13: the Pulsar client's receive queues counted messages, so a queue sized for 400-byte readings
 * took gigabytes of 4 MB ones. While ClickHouse hangs, a window closes and fills the outbox (max-outbox 1), so the
 * partition is held back; then 152 readings of 4 MiB each arrive (608 MiB, an unknown field padding them), and
 * ordinary ones after them. Pausing a consumer stops new requests to the broker, not the deliveries already asked
 * for: with a queue of 2 000 messages, all 608 MiB came. With 128 MiB of direct memory for the client's buffers and
 * a 320 MiB heap, the service holds that wait without running out of memory, and once ClickHouse answers it
 * aggregates every reading.
 */
class HugePayloadIT {

    private static final int HUGE = 152;
    private static final String PADDING = "x".repeat(4 << 20);

    @Test
    void aBacklogOfHugeReadingsWaitsInABoundedClient() throws Exception {
        long ts = (System.currentTimeMillis() / 60_000 - 20) * 60_000; // on a minute boundary
        List<String> huge = new ArrayList<>();
        for (int i = 0; i < HUGE; i++) {
            huge.add(reading("huge", ts + 70_000 + i, PADDING));
        }
        runHeldBackBehind(huge, ts, Map.of());
    }

    /**
     * The residual of item 13: while the channel waited for the held-back partition, the other partitions' 4 MiB
     * readings filled the client's shared queue (2 000 messages). Every partition is paused while the channel waits
     * now, so with {@code receive-queue-per-partition} at 2, as the README advises for such payloads, the client
     * holds a few of them per partition.
     */
    @Test
    void hugeReadingsOnEveryPartitionWhileTheChannelWaitsStayInTheClientsQueues() throws Exception {
        long ts = (System.currentTimeMillis() / 60_000 - 20) * 60_000; // on a minute boundary
        List<String> huge = new ArrayList<>();
        for (int i = 0; i < 8; i++) { // the channel waits for the held-back partition from the first of them
            huge.add(reading("huge", ts + 70_000 + i, PADDING));
        }
        for (int i = 0; i < 112; i++) { // 28 devices over the 8 partitions, all in one open window
            huge.add(reading("spread-" + i % 28, ts + 70_000 + i, PADDING));
        }
        runHeldBackBehind(huge, ts, Map.of("rollup.source.receive-queue-per-partition", "2"));
    }

    /**
     * ClickHouse hangs and a window of the device "huge" closes, filling the outbox (max-outbox 1), so its partition
     * is held back; then {@code huge} arrives, and ordinary readings after it. The service holds that wait in a
     * 320 MiB heap and 128 MiB of direct memory, and once ClickHouse answers it aggregates every reading.
     */
    private void runHeldBackBehind(List<String> huge, long ts, Map<String, String> extra) throws Exception {
        IsolatedRun run = IsolatedRun.create("huge-it", 8);
        List<String> first = List.of(reading("huge", ts, ""), reading("huge", ts + 70_000, "")); // closes a window of the partition
        // ordinary readings after the huge ones in event time too (20 s of them), so none of them is late; they end
        // on a minute boundary, so their window closes as soon as the partition idles
        List<String> small = Corpus.generate("--devices", "20", "--rate", "100", "--count", "2000",
                "--start-ms", Long.toString(ts + 160_000));
        List<String> corpus = new ArrayList<>(first);
        corpus.addAll(huge);
        corpus.addAll(small);
        ReferenceRows expected = new ReferenceRows(corpus);
        assertEquals(2 + huge.size() + 2000, expected.validReadings());

        Map<String, String> config = run.serviceConfig("pod-0");
        config.put("rollup.sink", "clickhouse");
        config.put("rollup.sink.max-delay", "200ms");
        config.put("rollup.window.idle-timeout", "5s");
        config.put("rollup.sink.max-outbox", "1"); // one closed window holds its partition back
        config.putAll(extra);
        Map<String, String> env = LocalServersResource.servers().env();
        try (PulsarClient client = PulsarClient.builder().serviceUrl(env.get("PULSAR_SERVICE_URL")).build()) {
            Corpus.createTopic(env.get("PULSAR_ADMIN_URL"), run.topic(), 8);
            ServiceProcess service = ServiceProcess.start(run.id(), config,
                    List.of("-Xmx320m", "-XX:MaxDirectMemorySize=128m", "-XX:+ExitOnOutOfMemoryError"));
            ChaosServers.services("pause", "clickhouse");
            try {
                Corpus.publish(client, run.topic(), first);
                for (int from = 0; from < huge.size(); from += 4) { // within the publishing client's memory limit
                    Corpus.publish(client, run.topic(), huge.subList(from, Math.min(huge.size(), from + 4)));
                }
                Corpus.publish(client, run.topic(), small);
                Thread.sleep(15_000);
            } finally {
                ChaosServers.services("resume", "clickhouse");
            }
            try (service) {
                String db = run.database();
                StoredRows.awaitReadings("HugePayloadIT clickhouse", expected.validReadings(),
                        () -> StoredRows.clickhouse(env, db));
                expected.assertStored(StoredRows.clickhouse(env, db), StoredRows.clickhouseTimeResolution(env, db),
                        "clickhouse");
                assertTrue(service.isAlive(), "the service is still up");
                assertFalse(service.logged("OutOfDirectMemoryError") || service.logged("OutOfMemoryError"),
                        "no out-of-memory error in the log, see target/" + run.id() + ".log");
            }
        }
    }

    private static String reading(String device, long ts, String padding) {
        return "{\"device_id\":\"" + device + "\",\"timestamp\":" + ts + ",\"temperature\":1.5"
                + (padding.isEmpty() ? "" : ",\"padding\":\"" + padding + "\"") + "}";
    }
}
