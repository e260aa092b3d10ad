package io.sensorrollup.state;

import io.sensorrollup.source.Reading;
import io.sensorrollup.window.Accumulator;
import io.sensorrollup.window.ByteWriter;
import io.sensorrollup.window.CloseSchedule;
import io.sensorrollup.window.WindowKey;
import io.sensorrollup.window.WindowRowCodec;

/**
 * The windows of one partition in state: adds a reading to a window, closes the windows the watermark reached and
 * emits them into the outbox, then keeps them for the allowed lateness. {@link PartitionProcessor} decides which
 * windows a reading goes to and when the watermark moves; this class keeps the close deadlines.
 */
final class WindowAggregation {

    private final CachingWindowStore windows;
    private final Outbox outbox;
    private final long lateness;
    private final CloseSchedule open = new CloseSchedule(0);
    private final CloseSchedule retained;
    private final ByteWriter rowBuffer = new ByteWriter(512);
    private long nextDeadline = Long.MAX_VALUE;
    private long emitted;

    /** Schedules the windows already in {@code stored}: version 0 is open, a higher one closed and retained. */
    WindowAggregation(RocksWindowStore stored, CachingWindowStore windows, Outbox outbox, long lateness) {
        this.windows = windows;
        this.outbox = outbox;
        this.lateness = lateness;
        this.retained = new CloseSchedule(lateness);
        stored.forEachWindow((key, version) -> (version == 0 ? open : retained).add(key));
        updateNextDeadline();
    }

    /**
     * Adds {@code reading} to the window {@code key} (a probe: copied when the window is new). A window that
     * {@code alreadyClosed} is emitted again at once with the next version.
     */
    void add(WindowKey key, Reading reading, boolean alreadyClosed) {
        Accumulator acc = windows.get(key);
        if (acc == null) {
            acc = new Accumulator();
            WindowKey stored = key.copy();
            (alreadyClosed ? retained : open).add(stored);
            if (stored.end() + (alreadyClosed ? lateness : 0) < nextDeadline) {
                updateNextDeadline();
            }
            key = stored;
        }
        acc.add(reading);
        if (alreadyClosed) {
            acc.nextVersion();
            emit(key, acc);
        }
        windows.put(key, acc);
    }

    /** Whether watermark {@code w} makes a window close or a retained one expire. */
    boolean due(long w) {
        return w >= nextDeadline;
    }

    /** Closes every window whose end watermark {@code w} reached, and deletes retained ones past their lateness. */
    void closeDue(long w) {
        WindowKey key;
        while ((key = open.pollDue(w)) != null) {
            Accumulator acc = windows.get(key);
            if (acc == null) {
                throw new StateException("window " + key + " is scheduled but has no state");
            }
            acc.nextVersion();
            emit(key, acc);
            if (lateness == 0) {
                windows.delete(key);
            } else {
                windows.put(key, acc);
                retained.add(key);
            }
        }
        while ((key = retained.pollDue(w)) != null) {
            windows.delete(key);
        }
        updateNextDeadline();
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
