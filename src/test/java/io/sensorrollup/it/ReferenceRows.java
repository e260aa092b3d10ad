package io.sensorrollup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorrollup.source.Reading;
import io.sensorrollup.window.WindowRow;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A deliberately simple reference for 1-minute windows: the valid lines of a corpus grouped by
 * (device, minute) with plain loops, and a row-by-row, column-by-column comparison. Valid for
 * corpora whose disorder stays within the out-of-orderness bound (no late readings). A reading stamped more
 * than the default max-future-skew (1 h) after {@code publishedAt} is invalid ({@code future}): exact for
 * readings far from that bound, which is what a corpus should have, since the real publish times come later.
 */
final class ReferenceRows {

    private static final long MINUTE = 60_000;
    private static final long MAX_FUTURE_SKEW = 3_600_000;
    private static final List<String> STRING_FIELDS = List.of("device_id", "device_type", "customer_id", "site_id");

    private final Map<String, List<JsonNode>> byWindow = new HashMap<>();
    private long valid;

    ReferenceRows(List<String> corpus) {
        this(corpus, System.currentTimeMillis());
    }

    ReferenceRows(List<String> corpus, long publishedAt) {
        ObjectMapper json = new ObjectMapper();
        for (String line : corpus) {
            JsonNode r;
            try {
                r = json.readTree(line);
            } catch (IOException malformed) {
                continue;
            }
            if (!isValid(r, publishedAt)) {
                continue;
            }
            add(r);
        }
    }

    /** An empty reference that {@link #add} fills, for a caller that decides which readings count. */
    ReferenceRows() {
    }

    /** Counts a valid reading in its window. */
    void add(JsonNode r) {
        long start = windowStart(r.path("timestamp").asLong());
        byWindow.computeIfAbsent(key(r.path("device_id").asText(), start), k -> new ArrayList<>()).add(r);
        valid++;
    }

    /** Whether CONTRACT §1 takes the reading (null for a line that is not JSON), published at {@code publishedAt}. */
    static boolean isValid(JsonNode r, long publishedAt) {
        return r != null && r.isObject() && r.path("device_id").isTextual() && !r.path("device_id").asText().isEmpty()
                && r.path("device_id").asText().length() <= 128
                && r.path("timestamp").isIntegralNumber() && !hasBadMetric(r) && !hasBadString(r)
                && r.path("timestamp").asLong() >= 0 && r.path("timestamp").asLong() <= publishedAt + MAX_FUTURE_SKEW;
    }

    static long windowStart(long timestamp) {
        return Math.floorDiv(timestamp, MINUTE) * MINUTE;
    }

    long validReadings() {
        return valid;
    }

    int windows() {
        return byWindow.size();
    }

    /** Every row equals its reference, no row is missing, none is extra. */
    void assertMatches(List<WindowRow> rows) {
        assertStored(rows.stream().map(RowColumns::of).toList(), 1, "engine");
    }

    /**
     * The same for rows read back from a store whose times have {@code timeResolutionMillis} (1000 for
     * ClickHouse's DateTime, 1 where the store keeps milliseconds).
     */
    void assertStored(List<Map<String, Object>> rows, long timeResolutionMillis, String store) {
        assertEquals(byWindow.size(), rows.size(), store + ": one row per (device, window)");
        for (Map<String, Object> row : rows) {
            String device = (String) row.get("device_id");
            long start = (Long) row.get("window_start");
            assertNotNull(byWindow.get(key(device, start)), store + ": unexpected row " + row);
            List<String> differing = differingColumns(row, timeResolutionMillis);
            assertEquals(List.of(), differing, store + " " + device + "@" + start + ": differing columns");
        }
    }

    /** The (device, window) keys the reference has a row for. */
    Set<String> keys() {
        return byWindow.keySet();
    }

    static String key(Map<String, Object> row) {
        return key((String) row.get("device_id"), (Long) row.get("window_start"));
    }

    /** The columns where a stored row differs from its reference, as "name: expected != stored" (none for a match). */
    List<String> differingColumns(Map<String, Object> row, long timeResolutionMillis) {
        String device = (String) row.get("device_id");
        long start = (Long) row.get("window_start");
        List<String> differing = new ArrayList<>();
        for (Map.Entry<String, Object> column : expected(device, start, byWindow.get(key(device, start))).entrySet()) {
            String name = column.getKey();
            Object want = column.getValue();
            Object got = row.get(name);
            boolean same;
            if (want == null || got == null) {
                same = want == got;
            } else if (RowColumns.TIMES.contains(name)) {
                long t = (Long) want;
                same = t - Math.floorMod(t, timeResolutionMillis) == (Long) got;
            } else if (name.endsWith("_avg")) {
                double w = (Double) want;
                same = Math.abs(w - (Double) got) <= 1e-9 * Math.max(1, Math.abs(w));
            } else {
                same = want.equals(got);
            }
            if (!same) {
                differing.add(name + ": " + want + " != " + got);
            }
        }
        return differing;
    }

    private static Map<String, Object> expected(String device, long start, List<JsonNode> readings) {
        JsonNode first = readings.get(0);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("device_id", device);
        c.put("window_size_s", 60L);
        c.put("window_start", start);
        c.put("window_end", start + MINUTE);
        c.put("device_type", first.path("device_type").asText(null));
        c.put("customer_id", first.path("customer_id").asText(null));
        c.put("site_id", first.path("site_id").asText(null));
        for (String position : RowColumns.POSITIONS) {
            c.put(position, first.hasNonNull(position) ? first.path(position).asDouble() : null);
        }
        c.put("message_count", (long) readings.size());
        for (String metric : Reading.METRICS) {
            long count = 0;
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (JsonNode r : readings) {
                if (r.hasNonNull(metric)) {
                    double v = r.path(metric).asDouble();
                    count++;
                    sum += v;
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            c.put(metric + "_avg", count > 0 ? sum / count : null);
            c.put(metric + "_min", count > 0 ? min : null);
            c.put(metric + "_max", count > 0 ? max : null);
            c.put(metric + "_count", count);
        }
        c.put("motion_detected_count", readings.stream().filter(r -> r.path("motion_detected").asBoolean(false)).count());
        for (int i = 0; i < Reading.COUNTER_COUNT; i++) {
            String counter = Reading.COUNTERS[i];
            c.put(RowColumns.COUNTER_SUMS[i], readings.stream().mapToLong(r -> r.path(counter).asLong(0)).sum());
        }
        c.put("first_event_time", readings.stream().mapToLong(r -> r.path("timestamp").asLong()).min().orElseThrow());
        c.put("last_event_time", readings.stream().mapToLong(r -> r.path("timestamp").asLong()).max().orElseThrow());
        c.put("version", 1L);
        return c;
    }

    private static boolean hasBadMetric(JsonNode r) {
        for (String metric : Reading.METRICS) {
            JsonNode v = r.path(metric);
            if (!v.isMissingNode() && !v.isNull() && (!v.isNumber() || !Double.isFinite(v.asDouble()))) {
                return true;
            }
        }
        return false;
    }

    /** A metadata field that is not a string, or a string holding U+0000 or a code point of a lone surrogate. */
    private static boolean hasBadString(JsonNode r) {
        for (String field : STRING_FIELDS) {
            JsonNode v = r.path(field);
            if (v.isMissingNode() || v.isNull()) {
                continue;
            }
            if (!v.isTextual() || v.asText().codePoints().anyMatch(c -> c == 0 || (c >= 0xD800 && c <= 0xDFFF))) {
                return true;
            }
        }
        return false;
    }

    private static String key(String device, long start) {
        return device + "@" + start;
    }
}
