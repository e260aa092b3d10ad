package io.sensorrollup.state;

import io.sensorrollup.window.Accumulator;
import io.sensorrollup.window.Watermark;
import io.sensorrollup.window.WindowKey;
import io.sensorrollup.window.WindowRow;
import io.sensorrollup.window.WindowSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The windows of one device still in state (open, or closed and within allowed lateness), looked up only where
 * the watermark can still reach them: from {@code watermark - lateness - size} to the newest timestamp, a few per
 * size, and never more than {@link #MAX_LIVE_SPAN} per size whatever the configuration.
 */
final class DeviceWindowLookup {

    private static final long MAX_LIVE_SPAN = 10_000;

    private DeviceWindowLookup() {
    }

    /** By size then start; an open window has version 0. */
    static List<WindowRow> find(String deviceId, WindowStore windows, WindowSpec spec, Watermark watermark,
            long lateness) {
        List<WindowRow> rows = new ArrayList<>();
        long newest = watermark.maxTimestamp();
        if (newest == Long.MIN_VALUE) {
            return rows;
        }
        long w = watermark.current();
        for (int s = 0; s < spec.count(); s++) {
            long size = spec.sizeMillis(s);
            long from = spec.startOf(Math.max(w - lateness - size + 1, newest - MAX_LIVE_SPAN * size), s);
            for (long start = from; start <= newest; start += size) {
                WindowKey key = WindowKey.probe().set(deviceId, size, start);
                Accumulator acc = windows.get(key);
                if (acc != null) {
                    rows.add(new WindowRow(key, acc));
                }
            }
        }
        return rows;
    }
}
