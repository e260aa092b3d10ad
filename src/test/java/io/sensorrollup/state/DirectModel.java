package io.sensorrollup.state;

import io.sensorrollup.window.WindowKey;
import io.sensorrollup.window.WindowSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * CONTRACT §2's windows as plainly as they can be written, for tests of the engine's longer windows: every reading
 * goes into every window of every size that has not expired, and the watermark, closes, late updates and expiry
 * follow the rules of {@link PartitionProcessor}'s class comment. Each emission is recorded with the readings the
 * window held then.
 */
final class DirectModel {

    /** One emitted row: the window, its version, and its readings in arrival order. */
    record Row(WindowKey key, int version, List<TestReadings.Msg> readings) {
    }

    private static final class Window {
        final List<TestReadings.Msg> readings = new ArrayList<>();
        int version;
    }

    private final WindowSpec spec;
    private final long bound;
    private final long lateness;
    private final TreeMap<WindowKey, Window> open = new TreeMap<>(WindowKey.CLOSE_ORDER);
    private final Map<WindowKey, Window> retained = new HashMap<>();
    final List<Row> rows = new ArrayList<>();
    private long maxTimestamp = Long.MIN_VALUE;

    DirectModel(WindowSpec spec, long boundMillis, long latenessMillis) {
        this.spec = spec;
        this.bound = boundMillis;
        this.lateness = latenessMillis;
    }

    long watermark() {
        return maxTimestamp == Long.MIN_VALUE ? Long.MIN_VALUE : maxTimestamp - bound;
    }

    void add(TestReadings.Msg m) {
        if (!m.valid) {
            return;
        }
        long w = watermark();
        boolean taken = false;
        for (int s = 0; s < spec.count(); s++) {
            long size = spec.sizeMillis(s);
            WindowKey key = new WindowKey(m.deviceId, size, spec.startOf(m.timestamp, s));
            if (key.end() + lateness <= w) {
                continue;
            }
            taken = true;
            if (key.end() <= w) {
                Window win = retained.computeIfAbsent(key, k -> new Window());
                win.readings.add(m);
                emit(key, win);
            } else {
                open.computeIfAbsent(key, k -> new Window()).readings.add(m);
            }
        }
        if (taken) {
            maxTimestamp = Math.max(maxTimestamp, m.timestamp);
            advance(watermark());
        }
    }

    /** Moves the watermark to {@code w} (as an idle advance does) and closes and expires what it reaches. */
    void advance(long w) {
        while (!open.isEmpty() && open.firstKey().end() <= w) {
            Map.Entry<WindowKey, Window> e = open.pollFirstEntry();
            emit(e.getKey(), e.getValue());
            if (lateness > 0) {
                retained.put(e.getKey(), e.getValue());
            }
        }
        retained.keySet().removeIf(k -> k.end() + lateness <= w);
    }

    /** The windows still open, with their readings so far. */
    Map<WindowKey, List<TestReadings.Msg>> openWindows() {
        Map<WindowKey, List<TestReadings.Msg>> out = new HashMap<>();
        open.forEach((k, v) -> out.put(k, List.copyOf(v.readings)));
        return out;
    }

    /** The closed windows still within allowed lateness, with their version. */
    Map<WindowKey, Integer> retainedVersions() {
        Map<WindowKey, Integer> out = new HashMap<>();
        retained.forEach((k, v) -> out.put(k, v.version));
        return out;
    }

    List<TestReadings.Msg> retainedReadings(WindowKey key) {
        return List.copyOf(retained.get(key).readings);
    }

    private void emit(WindowKey key, Window win) {
        win.version++;
        rows.add(new Row(key, win.version, List.copyOf(win.readings)));
    }
}
