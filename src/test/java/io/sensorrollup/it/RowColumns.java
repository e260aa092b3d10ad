package io.sensorrollup.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorrollup.source.Reading;
import io.sensorrollup.state.EngineRows;
import io.sensorrollup.window.WindowRow;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A row as its columns (CONTRACT §3): names to String, Long, Double or null, times as epoch millis. The
 * one shape the ITs compare, whether a row comes from the engine or is read back from a store.
 */
final class RowColumns {

    static final List<String> NAMES;
    static final Set<String> STRINGS = Set.of("device_id", "device_type", "customer_id", "site_id");
    static final Set<String> TIMES = Set.of("window_start", "window_end", "first_event_time", "last_event_time");
    static final String[] POSITIONS = {"latitude", "longitude", "altitude"};
    static final String[] COUNTER_SUMS = {"error_count_sum", "status_sum", "packets_sent_sum", "packets_received_sum",
            "bytes_sent_sum", "bytes_received_sum"};

    static {
        List<String> names = new ArrayList<>(List.of("device_id", "window_size_s", "window_start", "window_end",
                "device_type", "customer_id", "site_id", "latitude", "longitude", "altitude", "message_count"));
        for (String m : Reading.METRICS) {
            names.addAll(List.of(m + "_avg", m + "_min", m + "_max", m + "_count"));
        }
        names.add("motion_detected_count");
        names.addAll(List.of(COUNTER_SUMS));
        names.addAll(List.of("first_event_time", "last_event_time", "version"));
        NAMES = List.copyOf(names);
    }

    private RowColumns() {
    }

    static boolean isDouble(String name) {
        return name.endsWith("_avg") || name.endsWith("_min") || name.endsWith("_max")
                || List.of(POSITIONS).contains(name);
    }

    static Map<String, Object> of(WindowRow r) {
        Map<String, Object> c = new LinkedHashMap<>(EngineRows.columns(r));
        c.put("version", (long) r.version());
        return c;
    }

    /** A row read back as JSON (ClickHouse JSONEachRow, PostgreSQL row_to_json). */
    static Map<String, Object> of(JsonNode stored) {
        Map<String, Object> c = new LinkedHashMap<>();
        for (String name : NAMES) {
            JsonNode v = stored.get(name);
            if (v == null) {
                throw new AssertionError("column " + name + " missing from " + stored);
            }
            if (v.isNull()) {
                c.put(name, null);
            } else if (STRINGS.contains(name)) {
                c.put(name, v.asText());
            } else if (TIMES.contains(name)) {
                c.put(name, epochMillis(v.asText()));
            } else if (isDouble(name)) {
                c.put(name, v.asDouble());
            } else {
                c.put(name, v.asLong());
            }
        }
        return c;
    }

    /** {@code 2026-01-01 00:00:05[.123]} (ClickHouse, UTC) or {@code 2026-01-01T00:00:05.123+00:00} (PostgreSQL). */
    static long epochMillis(String time) {
        return time.indexOf('T') > 0 ? OffsetDateTime.parse(time).toInstant().toEpochMilli()
                : LocalDateTime.parse(time.replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
    }
}
