package io.sensorrollup.state;

import io.sensorrollup.source.Reading;
import io.sensorrollup.window.Accumulator;
import io.sensorrollup.window.ByteWriter;
import io.sensorrollup.window.CloseSchedule;
import io.sensorrollup.window.WindowKey;
import io.sensorrollup.window.WindowRowCodec;
import io.sensorrollup.window.WindowSpec;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The windows of one partition in state: adds a reading to the windows that take it, closes the windows the
 * watermark reached and emits them into the outbox, then keeps them for the allowed lateness. {@link PartitionProcessor}
 * decides when the watermark moves; this class keeps the close deadlines.
 *
 * <p><b>Longer windows from shorter ones.</b> A size with a source ({@link WindowSpec#sourceOf}: 5m from 1m, 1h from
 * 5m) is not updated by each reading: when a source window closes, its accumulator is merged into the one longer
 * window that holds it. A reading goes to a longer window itself only when the merge cannot bring it: its source
 * window has closed already (a late reading), or the longer window is {@link Accumulator#direct() direct}. Every window
 * still gets every reading once, and a reading reaches state once instead of once per size.
 */
final class WindowAggregation {

    private final CachingWindowStore windows;
    private final Outbox outbox;
    private final WindowSpec spec;
    private final long lateness;
    /** By size: the longer sizes its closed windows are merged into. */
    private final int[][] fills;
    private final CloseSchedule open = new CloseSchedule(0);
    private final CloseSchedule retained;
    /** Open windows of a size with a source whose accumulators are direct: a state an older build wrote. */
    private final Set<WindowKey> openDirect = new HashSet<>();
    private final WindowKey probe = WindowKey.probe();
    private final ByteWriter rowBuffer = new ByteWriter(512);
    private long nextDeadline = Long.MAX_VALUE;
    private long emitted;

    /** Schedules the windows already in {@code stored}: version 0 is open, a higher one closed and retained. */
    WindowAggregation(RocksWindowStore stored, CachingWindowStore windows, Outbox outbox, WindowSpec spec, long lateness) {
        this.windows = windows;
        this.outbox = outbox;
        this.spec = spec;
        this.lateness = lateness;
        this.retained = new CloseSchedule(lateness);
        this.fills = new int[spec.count()][];
        for (int s = 0; s < spec.count(); s++) {
            final int source = s;
            fills[s] = IntStream.range(0, spec.count()).filter(t -> spec.sourceOf(t) == source).toArray();
        }
        stored.forEachWindow((key, version, direct) -> {
            (version == 0 ? open : retained).add(key);
            if (version == 0 && direct && hasSource(key.sizeMillis())) {
                openDirect.add(key);
            }
        });
        updateNextDeadline();
    }

    /**
     * Adds {@code reading} to each of its windows that watermark {@code w} has not expired, emitting again at once
     * those that had closed; the {@code arrival} orders it among the partition's readings.
     *
     * @return the number of window sizes for which the reading came too late
     */
    int add(Reading reading, long arrival, long w) {
        long ts = reading.timestamp();
        String device = reading.deviceId();
        int tooLate = 0;
        for (int s = 0; s < spec.count(); s++) {
            long size = spec.sizeMillis(s);
            long start = spec.startOf(ts, s);
            long end = start + size;
            if (end + lateness <= w) {
                tooLate++;
            } else if (!reachedBySource(s, ts, w, device, start)) {
                add(probe.set(device, size, start), reading, arrival, end <= w);
            }
        }
        return tooLate;
    }

    /** Whether the reading's source window of size {@code s} is open, so it reaches this window when that closes. */
    private boolean reachedBySource(int s, long ts, long w, String device, long start) {
        int source = spec.sourceOf(s);
        if (source < 0 || spec.startOf(ts, source) + spec.sizeMillis(source) <= w) {
            return false;
        }
        return openDirect.isEmpty() || !openDirect.contains(probe.set(device, spec.sizeMillis(s), start));
    }

    private void add(WindowKey key, Reading reading, long arrival, boolean alreadyClosed) {
        Accumulator acc = windows.get(key);
        if (acc == null) {
            acc = new Accumulator();
            key = schedule(key.copy(), alreadyClosed);
        }
        acc.add(reading, arrival);
        if (alreadyClosed) {
            acc.nextVersion();
            emit(key, acc);
        }
        windows.put(key, acc);
    }

    private WindowKey schedule(WindowKey stored, boolean closed) {
        (closed ? retained : open).add(stored);
        if (stored.end() + (closed ? lateness : 0) < nextDeadline) {
            updateNextDeadline();
        }
        return stored;
    }

    /** Whether watermark {@code w} makes a window close or a retained one expire. */
    boolean due(long w) {
        return w >= nextDeadline;
    }

    /**
     * Closes every window whose end watermark {@code w} reached, merging each into the longer windows it fills, and
     * deletes retained ones past their lateness. A longer window closes after the shorter ones inside it (by end, then
     * size), so it is emitted with all of them merged.
     */
    void closeDue(long w) {
        WindowKey key;
        while ((key = open.pollDue(w)) != null) {
            Accumulator acc = windows.getUncached(key);
            if (acc == null) {
                throw new StateException("window " + key + " is scheduled but has no state");
            }
            acc.nextVersion();
            emit(key, acc);
            openDirect.remove(key);
            mergeIntoLonger(key, acc);
            if (lateness == 0) {
                windows.delete(key);
            } else {
                windows.putUncached(key, acc);
                retained.add(key);
            }
        }
        while ((key = retained.pollDue(w)) != null) {
            windows.delete(key);
        }
        updateNextDeadline();
    }

    private void mergeIntoLonger(WindowKey closed, Accumulator acc) {
        int s = spec.indexOf(closed.sizeMillis());
        if (s < 0) {
            return;
        }
        for (int longer : fills[s]) {
            long size = spec.sizeMillis(longer);
            WindowKey target = probe.set(closed.deviceId(), size, spec.startOf(closed.start(), longer));
            if (openDirect.contains(target)) {
                continue;
            }
            Accumulator into = windows.getUncached(target);
            if (into == null) {
                into = new Accumulator();
                target = schedule(target.copy(), false);
            } else if (into.version() > 0) {
                throw new StateException("window " + target + " closed before " + closed + ", which lies inside it");
            }
            into.merge(acc);
            windows.putUncached(target, into);
        }
    }

    private boolean hasSource(long sizeMillis) {
        int s = spec.indexOf(sizeMillis);
        return s >= 0 && spec.sourceOf(s) >= 0;
    }

    /** Rows emitted into the outbox since this partition's state was opened. */
    long emitted() {
        return emitted;
    }

    /** Windows held in state and not yet expired (open, or closed and within allowed lateness). */
    int live() {
        return open.size() + retained.size();
    }

    private void updateNextDeadline() {
        nextDeadline = Math.min(open.nextDeadline(), retained.nextDeadline());
    }

    private void emit(WindowKey key, Accumulator acc) {
        WindowRowCodec.encode(key, acc, rowBuffer.reset());
        outbox.append(rowBuffer.toByteArray());
        emitted++;
    }
}
