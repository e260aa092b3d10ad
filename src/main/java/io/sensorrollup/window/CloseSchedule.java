package io.sensorrollup.window;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Windows ordered by a deadline {@code window_end + offset}, then device id, then size: the processor polls
 * the due ones when the watermark moves, without scanning the state. One schedule holds open windows
 * (offset 0: they close), another closed windows kept for allowed lateness (offset = lateness: they expire).
 *
 * <p>In memory, rebuilt from the {@code windows} column family on open. Windows that end together close together,
 * so they are kept as one group per end, a device id and a size per window (about 12 bytes, against 80 to 140 for
 * a key in a tree: at a million devices with three sizes that is 40 MB instead of 400), and a group is sorted when
 * its first window is polled. A window added to the group being polled (a longer window that a closing shorter one
 * fills first) joins it in order.
 */
public final class CloseSchedule {

    private final long offset;
    private final TreeMap<Long, Group> groups = new TreeMap<>();
    private int size;
    /** The group being polled, sorted, from {@link #next}; null when none is. */
    private WindowKey[] polling;
    private long pollingEnd;
    private int next;
    private final TreeSet<WindowKey> joined = new TreeSet<>(WindowKey.CLOSE_ORDER);

    public CloseSchedule(long offsetMillis) {
        this.offset = offsetMillis;
    }

    /** Adds a key that is not in the schedule. */
    public void add(WindowKey key) {
        size++;
        if (polling != null && key.end() == pollingEnd) {
            joined.add(key.copy());
            return;
        }
        groups.computeIfAbsent(key.end(), end -> new Group()).add(key.deviceId(), key.sizeMillis());
    }

    public int size() {
        return size;
    }

    /** The earliest deadline, or {@link Long#MAX_VALUE} when empty. */
    public long nextDeadline() {
        if (polling != null) {
            return pollingEnd + offset;
        }
        return groups.isEmpty() ? Long.MAX_VALUE : groups.firstKey() + offset;
    }

    /** Removes and returns the first key whose deadline is {@code <= watermark}, or null. */
    public WindowKey pollDue(long watermark) {
        if (polling == null) {
            if (groups.isEmpty() || groups.firstKey() + offset > watermark) {
                return null;
            }
            Map.Entry<Long, Group> first = groups.pollFirstEntry();
            pollingEnd = first.getKey();
            polling = first.getValue().sortedKeys(pollingEnd);
            next = 0;
        } else if (pollingEnd + offset > watermark) {
            return null;
        }
        WindowKey key;
        if (!joined.isEmpty() && (next == polling.length || WindowKey.CLOSE_ORDER.compare(joined.first(), polling[next]) < 0)) {
            key = joined.pollFirst();
        } else {
            key = polling[next];
            polling[next++] = null;
        }
        if (next == polling.length && joined.isEmpty()) {
            polling = null;
        }
        size--;
        return key;
    }

    /** The windows of one end: parallel device ids and sizes, in the order they were added. */
    private static final class Group {
        private String[] devices = new String[4];
        private long[] sizes = new long[4];
        private int count;

        void add(String device, long sizeMillis) {
            if (count == devices.length) {
                devices = Arrays.copyOf(devices, count * 2);
                sizes = Arrays.copyOf(sizes, count * 2);
            }
            devices[count] = device;
            sizes[count++] = sizeMillis;
        }

        WindowKey[] sortedKeys(long end) {
            WindowKey[] keys = new WindowKey[count];
            for (int i = 0; i < count; i++) {
                keys[i] = new WindowKey(devices[i], sizes[i], end - sizes[i]);
            }
            Arrays.sort(keys, WindowKey.CLOSE_ORDER);
            return keys;
        }
    }
}
