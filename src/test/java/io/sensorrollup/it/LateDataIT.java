package io.sensorrollup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pulsar.client.api.PulsarClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * With {@code allowed-lateness=2m}, a late reading re-emits its closed window as version 2, and the
 * stores' deduplicating reads (ClickHouse FINAL, the PostgreSQL key) show the updated values.
 */
class LateDataIT {

    private static final long T0 = 1767225600000L; // 2026-01-01T00:00:00Z

    @Test
    void aLateReadingWithinTheAllowedLatenessUpdatesItsWindowAsVersionTwo() throws Exception {
        IsolatedRun run = IsolatedRun.create("late-it", 1);
        Map<String, String> config = run.serviceConfig("pod-0");
        config.put("rollup.window.allowed-lateness", "2m");
        config.put("rollup.window.idle-timeout", "10m"); // the watermark moves only with the readings
        config.put("rollup.sink", "clickhouse,postgresql");
        config.put("rollup.sink.max-delay", "200ms");
        Map<String, String> env = LocalServersResource.servers().env();

        List<String> onTime = new ArrayList<>();
        for (int s = 0; s <= 130; s += 10) {
            onTime.add(reading(s, 20.0 + s / 10.0));
        }
        try (PulsarClient client = PulsarClient.builder().serviceUrl(env.get("PULSAR_SERVICE_URL")).build();
                ServiceProcess service = start(run, config, env)) {
            Corpus.publish(client, run.topic(), onTime);
            // watermark 125 s: minutes 0 and 1 closed, version 1
            awaitWindow(env, run, 0, 1, 6);
            awaitWindow(env, run, 60_000, 1, 6);

            Corpus.publish(client, run.topic(), List.of(reading(25, 99.0)));
            Map<String, Object> updated = awaitWindow(env, run, 0, 2, 7);
            assertEquals(99.0, updated.get("temperature_max"));
            assertEquals(7L, updated.get("temperature_count"));
            assertEquals(T0 + 50_000, updated.get("last_event_time"), "the late reading is older than the window's newest");
            assertEquals(2, StoredRows.clickhouseCount(env, run.database(), true), "FINAL: one row per window");
        }
    }

    private static ServiceProcess start(IsolatedRun run, Map<String, String> config, Map<String, String> env) throws Exception {
        Corpus.createTopic(env.get("PULSAR_ADMIN_URL"), run.topic(), 1);
        return ServiceProcess.start(run.id(), config);
    }

    /** Waits until both stores show the window at {@code offsetMillis} with this version and count; returns ClickHouse's row. */
    private static Map<String, Object> awaitWindow(Map<String, String> env, IsolatedRun run, long offsetMillis, long version,
            long count) {
        @SuppressWarnings("unchecked")
        Map<String, Object>[] found = new Map[1];
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            Map<String, Object> ch = window(StoredRows.clickhouse(env, run.database()), offsetMillis);
            Map<String, Object> pg = window(StoredRows.postgres(env, run.database()), offsetMillis);
            found[0] = ch;
            return ch != null && pg != null && (Long) ch.get("version") == version && (Long) pg.get("version") == version
                    && (Long) ch.get("message_count") == count && (Long) pg.get("message_count") == count;
        });
        return found[0];
    }

    private static Map<String, Object> window(List<Map<String, Object>> rows, long offsetMillis) {
        return rows.stream().filter(r -> (Long) r.get("window_start") == T0 + offsetMillis && (Long) r.get("window_size_s") == 60)
                .findFirst().orElse(null);
    }

    private static String reading(int second, double temperature) {
        return "{\"device_id\":\"late-1\",\"timestamp\":" + (T0 + second * 1000L) + ",\"temperature\":" + temperature + "}";
    }
}
