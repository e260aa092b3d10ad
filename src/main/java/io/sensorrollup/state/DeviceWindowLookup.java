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
    static List<WindowRow> find(String deviceId, CachingWindowStore windows, WindowSpec spec, Watermark watermark,
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
                Accumulator acc = soFar(deviceId, s, start, windows, spec, w);
                if (acc != null) {
                    rows.add(new WindowRow(new WindowKey(deviceId, size, start), acc));
                }
            }
        }
        return rows;
    }

    /**
     * What the window holds so far: its own accumulator and, while it is open, what its open source windows hold
     * and merge into it when they close ({@link WindowAggregation}).
     */
    private static Accumulator soFar(String deviceId, int s, long start, CachingWindowStore windows, WindowSpec spec, long w) {
        long size = spec.sizeMillis(s);
        Accumulator own = windows.getUncached(WindowKey.probe().set(deviceId, size, start));
        int source = spec.sourceOf(s);
        if (source < 0 || start + size <= w || own != null && own.direct()) {
            return own;
        }
        Accumulator acc = own == null ? null : own.copy();
        long sourceSize = spec.sizeMillis(source);
        long firstOpen = w < start ? start : spec.startOf(w, source);
        for (long t = firstOpen; t < start + size; t += sourceSize) {
            Accumulator part = t + sourceSize > w ? soFar(deviceId, source, t, windows, spec, w) : null;
            if (part != null) {
                if (acc == null) {
                    acc = new Accumulator();
                }
                acc.merge(part);
            }
        }
        return acc;
    }
}
