package io.sensorrollup.state;

import io.sensorrollup.source.Reading;
import io.sensorrollup.window.WindowKey;
import io.sensorrollup.window.WindowSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deliberately simple model of CONTRACT §2–3 for tests: keeps every reading of every window in a list
 * and computes the columns with plain loops. Assumes no reading is late. A metric's sum over a window of a size
 * with a source ({@link WindowSpec#sourceOf}) is the sum of its source windows' sums, by start, as the engine adds
 * them; everything else is computed from the readings alone.
 */
final class ReferenceAggregator {

    final Map<WindowKey, List<TestReadings.Msg>> windows = new LinkedHashMap<>();

    void addAll(List<TestReadings.Msg> msgs, WindowSpec spec) {
        for (TestReadings.Msg m : msgs) {
            if (!m.valid) {
                continue;
            }
            for (int s = 0; s < spec.count(); s++) {
                long size = spec.sizeMillis(s);
                long start = Math.floorDiv(m.timestamp, size) * size;
                windows.computeIfAbsent(new WindowKey(m.deviceId, size, start), k -> new ArrayList<>()).add(m);
            }
        }
    }

    /** The expected value of each column, by name, for one window (version 1), every sum straight. */
    static Map<String, Object> expectedColumns(WindowKey key, List<TestReadings.Msg> list) {
        return expectedColumns(key, list, WindowSpec.ofMillis(key.sizeMillis()));
    }

    /** The expected value of each column, by name, for one window (version 1) of {@code spec}. */
    static Map<String, Object> expectedColumns(WindowKey key, List<TestReadings.Msg> list, WindowSpec spec) {
        Map<String, Object> c = new LinkedHashMap<>();
        TestReadings.Msg first = list.get(0);
        c.put("device_id", key.deviceId());
        c.put("window_size_s", key.sizeMillis() / 1000);
        c.put("window_start", key.start());
        c.put("window_end", key.start() + key.sizeMillis());
        c.put("device_type", first.deviceType);
        c.put("customer_id", first.customerId);
        c.put("site_id", first.siteId);
        String[] pos = {"latitude", "longitude", "altitude"};
        for (int p = 0; p < 3; p++) {
            c.put(pos[p], first.position[p]);
        }
        c.put("message_count", (long) list.size());
        for (int m = 0; m < Reading.METRIC_COUNT; m++) {
            long count = 0;
            double sum = sum(key.sizeMillis(), list, m, spec);
            Double min = null;
            Double max = null;
            for (TestReadings.Msg r : list) {
                Double v = r.metrics[m];
                if (v == null) {
                    continue;
                }
                count++;
                min = min == null ? v : Math.min(min, v);
                max = max == null ? v : Math.max(max, v);
            }
            String name = Reading.METRICS[m];
            c.put(name + "_count", count);
            c.put(name + "_avg", count == 0 ? null : sum / count);
            c.put(name + "_min", min);
            c.put(name + "_max", max);
        }
        long motion = 0;
        for (TestReadings.Msg r : list) {
            if (Boolean.TRUE.equals(r.motion)) {
                motion++;
            }
        }
        c.put("motion_detected_count", motion);
        for (int k = 0; k < Reading.COUNTER_COUNT; k++) {
            long sum = 0;
            for (TestReadings.Msg r : list) {
                sum += r.counter(k);
            }
            c.put(Reading.COUNTERS[k] + "_sum", sum);
        }
        long firstTs = Long.MAX_VALUE;
        long lastTs = Long.MIN_VALUE;
        for (TestReadings.Msg r : list) {
            firstTs = Math.min(firstTs, r.timestamp);
            lastTs = Math.max(lastTs, r.timestamp);
        }
        c.put("first_event_time", firstTs);
        c.put("last_event_time", lastTs);
        c.put("version", 1);
        return c;
    }

    /** Metric {@code m}'s sum over {@code list} (readings in arrival order) in a window of {@code size}. */
    static double sum(long size, List<TestReadings.Msg> list, int m, WindowSpec spec) {
        int s = spec.indexOf(size);
        int source = s < 0 ? -1 : spec.sourceOf(s);
        double sum = 0;
        if (source < 0) {
            for (TestReadings.Msg r : list) {
                if (r.metrics[m] != null) {
                    sum += r.metrics[m];
                }
            }
            return sum;
        }
        long sourceSize = spec.sizeMillis(source);
        java.util.TreeMap<Long, List<TestReadings.Msg>> parts = new java.util.TreeMap<>();
        for (TestReadings.Msg r : list) {
            parts.computeIfAbsent(Math.floorDiv(r.timestamp, sourceSize), k -> new ArrayList<>()).add(r);
        }
        for (List<TestReadings.Msg> part : parts.values()) {
            if (part.stream().anyMatch(r -> r.metrics[m] != null)) {
                sum += sum(sourceSize, part, m, spec);
            }
        }
        return sum;
    }

    /** The same columns read from an emitted row, NULL as null. */
    static Map<String, Object> actualColumns(io.sensorrollup.window.WindowRow row) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("device_id", row.deviceId());
        c.put("window_size_s", row.windowSizeSeconds());
        c.put("window_start", row.windowStart());
        c.put("window_end", row.windowEnd());
        c.put("device_type", row.deviceType());
        c.put("customer_id", row.customerId());
        c.put("site_id", row.siteId());
        String[] pos = {"latitude", "longitude", "altitude"};
        for (int p = 0; p < 3; p++) {
            c.put(pos[p], row.hasPosition(p) ? row.position(p) : null);
        }
        c.put("message_count", row.messageCount());
        for (int m = 0; m < Reading.METRIC_COUNT; m++) {
            String name = Reading.METRICS[m];
            boolean has = row.metricCount(m) > 0;
            c.put(name + "_count", row.metricCount(m));
            c.put(name + "_avg", has ? row.metricAvg(m) : null);
            c.put(name + "_min", has ? row.metricMin(m) : null);
            c.put(name + "_max", has ? row.metricMax(m) : null);
        }
        c.put("motion_detected_count", row.motionDetectedCount());
        for (int k = 0; k < Reading.COUNTER_COUNT; k++) {
            c.put(Reading.COUNTERS[k] + "_sum", row.counterSum(k));
        }
        c.put("first_event_time", row.firstEventTime());
        c.put("last_event_time", row.lastEventTime());
        c.put("version", row.version());
        return c;
    }
}
