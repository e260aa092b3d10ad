package io.sensorrollup.window;

/**
 * The event-time watermark of one partition: {@code max(timestamp seen) - maxOutOfOrderness}, never
 * decreasing. {@link Long#MIN_VALUE} until the first reading.
 *
 * <p>Idle advance: when no message arrived for {@code idleTimeout} of wall-clock time, the partition's event
 * clock is taken to run on with the wall clock from its last arrival, i.e. the watermark becomes
 * {@code maxTimestamp + (now - lastArrival) - maxOutOfOrderness}. Advancing relative to the partition's own
 * newest timestamp (rather than jumping to {@code now}) keeps a backfill of old data from being declared
 * late by a short pause.
 */
public final class Watermark {

    private final long maxOutOfOrderness;
    private final long idleTimeout;
    private long maxTimestamp = Long.MIN_VALUE;
    private long current = Long.MIN_VALUE;
    private long lastArrival;

    public Watermark(long maxOutOfOrdernessMillis, long idleTimeoutMillis, long nowMillis) {
        if (maxOutOfOrdernessMillis < 0 || idleTimeoutMillis <= 0) {
            throw new IllegalArgumentException("max-out-of-orderness must be >= 0 and idle-timeout > 0");
        }
        this.maxOutOfOrderness = maxOutOfOrdernessMillis;
        this.idleTimeout = idleTimeoutMillis;
        this.lastArrival = nowMillis;
    }

    public long current() {
        return current;
    }

    public long maxTimestamp() {
        return maxTimestamp;
    }

    /** Restores the state saved with a checkpoint. */
    public void restore(long maxTimestamp, long watermark) {
        this.maxTimestamp = maxTimestamp;
        this.current = watermark;
    }

    /** Notes a reading's timestamp; returns the (possibly advanced) watermark. */
    public long observe(long timestamp) {
        if (timestamp > maxTimestamp) {
            maxTimestamp = timestamp;
            long w = timestamp - maxOutOfOrderness;
            if (w > current) {
                current = w;
            }
        }
        return current;
    }

    /** Notes that messages arrived at wall-clock {@code nowMillis} (valid or not: the partition is not idle). */
    public void arrived(long nowMillis) {
        lastArrival = nowMillis;
    }

    /** Whether nothing arrived for {@code millis} since the first reading. */
    public boolean silentFor(long nowMillis, long millis) {
        return nowMillis - lastArrival >= millis && maxTimestamp != Long.MIN_VALUE;
    }

    /** Whether nothing arrived for the idle timeout since the first reading (silent; caught up is the caller's to know). */
    public boolean isIdle(long nowMillis) {
        return silentFor(nowMillis, idleTimeout);
    }

    /**
     * Advances the watermark with the wall clock when the partition has been idle for the idle timeout.
     * Returns whether it moved.
     */
    public boolean advanceIdle(long nowMillis) {
        if (!isIdle(nowMillis)) {
            return false;
        }
        long idle = nowMillis - lastArrival;
        long w = saturatedAdd(maxTimestamp, idle) - maxOutOfOrderness;
        if (w > current) {
            current = w;
            return true;
        }
        return false;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : r;
    }
}
