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
import java.util.List;
import java.util.Map;

/**
 * A deliberately simple reference for 1-minute windows: the valid lines of a corpus grouped by
 * (device, minute) with plain loops, and a row-by-row, column-by-column comparison. Valid for
 * corpora whose disorder stays within the out-of-orderness bound (no late readings).
 */
final class ReferenceRows {

    private static final long MINUTE = 60_000;
    private static final String[] POSITIONS = {"latitude", "longitude", "altitude"};

    private final Map<String, List<JsonNode>> byWindow = new HashMap<>();
    private long valid;

    ReferenceRows(List<String> corpus) {
        ObjectMapper json = new ObjectMapper();
        for (String line : corpus) {
            JsonNode r;
            try {
                r = json.readTree(line);
            } catch (IOException malformed) {
                continue;
            }
            if (r == null || !r.isObject() || !r.path("device_id").isTextual() || r.path("device_id").asText().isEmpty()
                    || r.path("device_id").asText().length() > 128
                    || !r.path("timestamp").isIntegralNumber() || hasBadMetric(r)) {
                continue;
            }
            long start = Math.floorDiv(r.path("timestamp").asLong(), MINUTE) * MINUTE;
            byWindow.computeIfAbsent(key(r.path("device_id").asText(), start), k -> new ArrayList<>()).add(r);
            valid++;
        }
    }

    long validReadings() {
        return valid;
    }

    int windows() {
        return byWindow.size();
    }

    /** Every row equals its reference, no row is missing, none is extra. */
    void assertMatches(List<WindowRow> rows) {
        assertEquals(byWindow.size(), rows.size(), "one row per (device, window)");
        for (WindowRow row : rows) {
            List<JsonNode> readings = byWindow.get(key(row.deviceId(), row.windowStart()));
            assertNotNull(readings, "unexpected row " + row);
            String at = row.deviceId() + "@" + row.windowStart() + ": ";
            JsonNode first = readings.get(0);
            assertEquals(60, row.windowSizeSeconds(), at);
            assertEquals(readings.size(), row.messageCount(), at + "message_count");
            assertEquals(first.path("device_type").asText(null), row.deviceType(), at + "device_type");
            assertEquals(first.path("customer_id").asText(null), row.customerId(), at + "customer_id");
            assertEquals(first.path("site_id").asText(null), row.siteId(), at + "site_id");
            for (int p = 0; p < POSITIONS.length; p++) {
                assertEquals(first.has(POSITIONS[p]), row.hasPosition(p), at + POSITIONS[p]);
                if (first.has(POSITIONS[p])) {
                    assertEquals(first.path(POSITIONS[p]).asDouble(), row.position(p), 0.0, at + POSITIONS[p]);
                }
            }
            for (int m = 0; m < Reading.METRIC_COUNT; m++) {
                String metric = Reading.METRICS[m];
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
                assertEquals(count, row.metricCount(m), at + metric + "_count");
                if (count > 0) {
                    assertEquals(sum, row.metricSum(m), 1e-6 * Math.max(1, Math.abs(sum)), at + metric + " sum");
                    assertEquals(min, row.metricMin(m), 0.0, at + metric + "_min");
                    assertEquals(max, row.metricMax(m), 0.0, at + metric + "_max");
                }
            }
            assertEquals(readings.stream().filter(r -> r.path("motion_detected").asBoolean(false)).count(),
                    row.motionDetectedCount(), at + "motion_detected_count");
            for (int c = 0; c < Reading.COUNTER_COUNT; c++) {
                String counter = Reading.COUNTERS[c];
                assertEquals(readings.stream().mapToLong(r -> r.path(counter).asLong(0)).sum(), row.counterSum(c),
                        at + counter + "_sum");
            }
            assertEquals(readings.stream().mapToLong(r -> r.path("timestamp").asLong()).min().orElseThrow(),
                    row.firstEventTime(), at + "first_event_time");
            assertEquals(readings.stream().mapToLong(r -> r.path("timestamp").asLong()).max().orElseThrow(),
                    row.lastEventTime(), at + "last_event_time");
            assertEquals(1, row.version(), at + "version");
        }
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

    private static String key(String device, long start) {
        return device + "@" + start;
    }
}
