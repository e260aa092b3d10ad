package io.sensorrollup.window;

import java.util.TreeSet;

/**
 * Windows ordered by a deadline {@code window_end + offset}, then device id, then size: the processor polls
 * the due ones when the watermark moves, without scanning the state. One schedule holds open windows
 * (offset 0: they close), another closed windows kept for allowed lateness (offset = lateness: they expire).
 *
 * <p>In memory, rebuilt from the {@code windows} column family on open: one entry per live window, which is
 * small next to the window's accumulator, and a scan at open is cheaper than a second RocksDB key order
 * written on every new window.
 */
public final class CloseSchedule {

    private final long offset;
    private final TreeSet<WindowKey> keys = new TreeSet<>(WindowKey.CLOSE_ORDER);

    public CloseSchedule(long offsetMillis) {
        this.offset = offsetMillis;
    }

    /** Adds an immutable key. */
    public void add(WindowKey key) {
        keys.add(key);
    }

    public int size() {
        return keys.size();
    }

    /** The earliest deadline, or {@link Long#MAX_VALUE} when empty. */
    public long nextDeadline() {
        return keys.isEmpty() ? Long.MAX_VALUE : keys.first().end() + offset;
    }

    /** Removes and returns the first key whose deadline is {@code <= watermark}, or null. */
    public WindowKey pollDue(long watermark) {
        if (keys.isEmpty() || keys.first().end() + offset > watermark) {
            return null;
        }
        return keys.pollFirst();
    }
}
