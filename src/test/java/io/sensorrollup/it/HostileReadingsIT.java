package io.sensorrollup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Reader;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 items 2 to 4 on the packaged service and the real servers: a reading dated 9999-12-31, one two hours
 * ahead of its publish time, one dated 1969, a device id with U+0000 and one with a lone surrogate go to the
 * dead-letter topic with their reasons; the partition of the year-9999 reading goes on (the readings after it,
 * of the same device and so the same partition, are aggregated, not late); both stores hold exactly the
 * reference rows, and "?a", which UTF-8 used to confuse with the lone surrogate "\\ud800a", has its one reading.
 */
class HostileReadingsIT {

    private static final int PARTITIONS = 2;
    private static final Pattern DEVICE = Pattern.compile("\"device_id\":\"([^\"]+)\"");
    private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\":(\\d+)");

    @Test
    void hostileReadingsAreDeadLetteredAndTheRestIsAggregatedExactly() throws Exception {
        IsolatedRun run = IsolatedRun.create("hostile-it", PARTITIONS);
        List<String> corpus = new ArrayList<>(Corpus.generateEndingOnAMinute(4_000, 200, "--devices", "50"));
        int at = corpus.size() / 2;
        String victim = group(DEVICE, corpus.get(at));
        long ts = Long.parseLong(group(TIMESTAMP, corpus.get(at)));
        long after = corpus.subList(at + 1, corpus.size()).stream().filter(l -> l.contains("\"" + victim + "\"")).count();
        assertTrue(after > 10, "the device of the year-9999 reading (so its partition) has readings after it: " + after);
        long now = System.currentTimeMillis();
        Map<String, String> hostile = new TreeMap<>(Map.of(
                "future", reading(victim, 253402300799999L, 99.0), // 9999-12-31T23:59:59.999Z
                "future-2h", reading(victim, now + 2 * 3_600_000L, 98.0),
                "before-epoch", reading(victim, -14182940000L, 97.0), // 1969-07-20
                "nul", reading("nul\\u0000x", ts, 96.0),
                "lone-surrogate", reading("\\ud800a", ts, 95.0)));
        corpus.addAll(at + 1, hostile.values());
        corpus.add(at + 1 + hostile.size(), reading("?a", ts, 42.0)); // valid
        ReferenceRows expected = new ReferenceRows(corpus, now);
        assertEquals(4001, expected.validReadings(), "the reference takes the generator's readings and ?a, nothing hostile");

        Map<String, String> config = run.serviceConfig("pod-0");
        config.put("rollup.sink", "clickhouse,postgresql");
        config.put("rollup.sink.max-delay", "200ms");
        config.put("rollup.window.idle-timeout", "5s");
        Map<String, String> env = LocalServersResource.servers().env();
        try (PulsarClient client = PulsarClient.builder().serviceUrl(env.get("PULSAR_SERVICE_URL")).build()) {
            Corpus.createTopic(env.get("PULSAR_ADMIN_URL"), run.topic(), PARTITIONS);
            Corpus.publish(client, run.topic(), corpus);
            try (ServiceProcess service = ServiceProcess.start(run.id(), config)) {
                String db = run.database();
                StoredRows.awaitReadings("HostileReadingsIT clickhouse", expected.validReadings(),
                        () -> StoredRows.clickhouse(env, db));
                StoredRows.awaitReadings("HostileReadingsIT postgresql", expected.validReadings(),
                        () -> StoredRows.postgres(env, db));
                List<Map<String, Object>> clickhouse = StoredRows.clickhouse(env, db);
                List<Map<String, Object>> postgres = StoredRows.postgres(env, db);
                expected.assertStored(clickhouse, StoredRows.clickhouseTimeResolution(env, db), "clickhouse");
                expected.assertStored(postgres, 1, "postgresql");
                for (List<Map<String, Object>> rows : List.of(clickhouse, postgres)) {
                    Map<String, Object> question = rows.stream().filter(r -> "?a".equals(r.get("device_id")))
                            .findFirst().orElse(null);
                    assertNotNull(question, "?a stored");
                    assertEquals(1L, question.get("message_count"), "?a has its own single reading: " + question);
                    assertEquals(42.0, question.get("temperature_max"));
                }

                Map<String, String> reasons = deadLetters(client, run.topic() + "-dlq", hostile);
                assertEquals(Map.of(
                        "future", "future",
                        "future-2h", "future",
                        "before-epoch", "before-epoch",
                        "nul", "invalid-string:device_id",
                        "lone-surrogate", "invalid-string:device_id"), reasons);
            }
        }
    }

    /** The dead letters, by the name of the hostile reading they carry (original bytes), as name to error. */
    private static Map<String, String> deadLetters(PulsarClient client, String topic, Map<String, String> hostile)
            throws Exception {
        Map<String, String> reasons = new TreeMap<>();
        try (Reader<byte[]> reader = client.newReader(Schema.BYTES).topic(topic).startMessageId(MessageId.earliest)
                .create()) {
            while (reasons.size() < hostile.size()) {
                Message<byte[]> m = reader.readNext(30, TimeUnit.SECONDS);
                if (m == null) {
                    break;
                }
                assertNotNull(m.getProperty("source-message-id"));
                String name = hostile.entrySet().stream()
                        .filter(e -> java.util.Arrays.equals(e.getValue().getBytes(StandardCharsets.UTF_8), m.getValue()))
                        .map(Map.Entry::getKey).findFirst()
                        .orElseThrow(() -> new AssertionError("unexpected dead letter (" + m.getProperty("error") + "): "
                                + new String(m.getValue(), StandardCharsets.UTF_8)));
                reasons.put(name, m.getProperty("error"));
            }
        }
        return reasons;
    }

    private static String reading(String device, long ts, double temperature) {
        return "{\"device_id\":\"" + device + "\",\"timestamp\":" + ts + ",\"temperature\":" + temperature
                + ",\"site_id\":\"site_h\"}";
    }

    private static String group(Pattern pattern, String line) {
        Matcher m = pattern.matcher(line);
        assertTrue(m.find(), line);
        return m.group(1);
    }
}
