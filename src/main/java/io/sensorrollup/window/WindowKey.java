package io.sensorrollup.window;

import java.util.Comparator;

/**
 * Identifies one aggregate: (device_id, window size, window start). Immutable, except for "probe" instances
 * made by {@link #probe()}: a thread reuses one probe to look keys up in hash maps without allocating, and a
 * probe is never stored ({@link #copy()} first).
 *
 * <p>Comparable, consistent with equals: device ids come from the fleet, and ids chosen to collide in
 * {@code String.hashCode} ("Aa" and "BB" do) would otherwise turn a hash map's bin into a list; with comparable
 * keys it becomes a tree searched in logarithmic time.
 */
public final class WindowKey implements Comparable<WindowKey> {

    /** The order windows close in: by window end, then device id, then size (deterministic, CONTRACT §3). */
    public static final Comparator<WindowKey> CLOSE_ORDER = (a, b) -> {
        int c = Long.compare(a.end(), b.end());
        if (c != 0) {
            return c;
        }
        c = a.deviceId.compareTo(b.deviceId);
        if (c != 0) {
            return c;
        }
        return Long.compare(a.sizeMillis, b.sizeMillis);
    };

    private String deviceId;
    private long sizeMillis;
    private long start;
    private int hash;
    private final boolean probe;

    public WindowKey(String deviceId, long sizeMillis, long start) {
        this(false);
        assign(deviceId, sizeMillis, start);
    }

    private WindowKey(boolean probe) {
        this.probe = probe;
    }

    /** A mutable key for lookups only; see the class comment. */
    public static WindowKey probe() {
        return new WindowKey(true);
    }

    /** Re-points a probe at another key; returns it. */
    public WindowKey set(String deviceId, long sizeMillis, long start) {
        if (!probe) {
            throw new IllegalStateException("only a probe key can be changed");
        }
        assign(deviceId, sizeMillis, start);
        return this;
    }

    private void assign(String deviceId, long sizeMillis, long start) {
        this.deviceId = deviceId;
        this.sizeMillis = sizeMillis;
        this.start = start;
        int h = deviceId.hashCode();
        h = 31 * h + Long.hashCode(sizeMillis);
        h = 31 * h + Long.hashCode(start);
        this.hash = h;
    }

    /** An immutable copy (the key itself when it is not a probe). */
    public WindowKey copy() {
        return probe ? new WindowKey(deviceId, sizeMillis, start) : this;
    }

    public String deviceId() {
        return deviceId;
    }

    public long sizeMillis() {
        return sizeMillis;
    }

    public long start() {
        return start;
    }

    public long end() {
        return start + sizeMillis;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof WindowKey k && hash == k.hash && start == k.start && sizeMillis == k.sizeMillis
                && deviceId.equals(k.deviceId);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(WindowKey other) {
        return CLOSE_ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return deviceId + "/" + WindowSpec.format(sizeMillis) + "@" + start;
    }
}
