package io.sensorrollup.window;

import io.sensorrollup.source.Reading;
import java.util.Arrays;

/**
 * The running aggregate of one window (every column of CONTRACT §3). Mutable, updated in place by
 * {@link #add}; confined to the thread of its partition.
 */
public final class Accumulator {

    static final int METRICS = Reading.METRIC_COUNT;
    static final int COUNTERS = Reading.COUNTER_COUNT;

    String deviceType;
    String customerId;
    String siteId;
    final double[] position = new double[3];
    int positionPresent;
    long messageCount;
    long motionDetectedCount;
    final long[] metricCount = new long[METRICS];
    final double[] metricSum = new double[METRICS];
    final double[] metricMin = new double[METRICS];
    final double[] metricMax = new double[METRICS];
    final long[] counterSum = new long[COUNTERS];
    long firstEventTime;
    long lastEventTime;
    int version;
    long firstArrival;
    boolean direct;

    public Accumulator() {
        Arrays.fill(metricMin, Double.POSITIVE_INFINITY);
        Arrays.fill(metricMax, Double.NEGATIVE_INFINITY);
    }

    /**
     * Adds one valid reading. Metadata comes from the reading that arrived first: the one with the lowest
     * {@code arrival}, the reading's place in its partition's order. Counter sums wrap on overflow.
     */
    public void add(Reading r, long arrival) {
        long ts = r.timestamp();
        if (messageCount == 0 || arrival < firstArrival) {
            firstArrival = arrival;
            deviceType = r.deviceType();
            customerId = r.customerId();
            siteId = r.siteId();
            positionPresent = 0;
            for (int i = 0; i < 3; i++) {
                position[i] = 0;
                if (r.hasPosition(i)) {
                    position[i] = r.position(i);
                    positionPresent |= 1 << i;
                }
            }
        }
        if (messageCount == 0) {
            firstEventTime = ts;
            lastEventTime = ts;
        } else {
            firstEventTime = Math.min(firstEventTime, ts);
            lastEventTime = Math.max(lastEventTime, ts);
        }
        messageCount++;
        if (r.motionDetected()) {
            motionDetectedCount++;
        }
        int bits = r.metricsPresent();
        while (bits != 0) {
            int m = Integer.numberOfTrailingZeros(bits);
            bits &= bits - 1;
            double v = r.metric(m);
            metricCount[m]++;
            metricSum[m] += v;
            metricMin[m] = Math.min(metricMin[m], v);
            metricMax[m] = Math.max(metricMax[m], v);
        }
        for (int c = 0; c < COUNTERS; c++) {
            counterSum[c] += r.counter(c);
        }
    }

    /**
     * Adds every reading of {@code other} (a shorter window inside this one), as if each had been added here:
     * counts, sums, extremes and event times combine, and metadata comes from whichever window holds the reading
     * that arrived first. A metric's sum is then a sum of the shorter windows' sums, which can differ from a sum of
     * the readings in arrival order in the last bits; it is the same on every replay.
     */
    public void merge(Accumulator other) {
        if (other.messageCount == 0) {
            return;
        }
        if (messageCount == 0 || other.firstArrival < firstArrival) {
            firstArrival = other.firstArrival;
            deviceType = other.deviceType;
            customerId = other.customerId;
            siteId = other.siteId;
            System.arraycopy(other.position, 0, position, 0, 3);
            positionPresent = other.positionPresent;
        }
        if (messageCount == 0) {
            firstEventTime = other.firstEventTime;
            lastEventTime = other.lastEventTime;
        } else {
            firstEventTime = Math.min(firstEventTime, other.firstEventTime);
            lastEventTime = Math.max(lastEventTime, other.lastEventTime);
        }
        messageCount += other.messageCount;
        motionDetectedCount += other.motionDetectedCount;
        for (int m = 0; m < METRICS; m++) {
            if (other.metricCount[m] > 0) {
                metricCount[m] += other.metricCount[m];
                metricSum[m] += other.metricSum[m];
                metricMin[m] = Math.min(metricMin[m], other.metricMin[m]);
                metricMax[m] = Math.max(metricMax[m], other.metricMax[m]);
            }
        }
        for (int c = 0; c < COUNTERS; c++) {
            counterSum[c] += other.counterSum[c];
        }
    }

    /**
     * Whether every reading of this window was added to it directly, none through a shorter window: true for the
     * windows a build before the shorter windows filled the longer ones wrote. Such a window takes no merge.
     */
    public boolean direct() {
        return direct;
    }

    /** The arrival of the reading its metadata came from (see {@link #add}). */
    public long firstArrival() {
        return firstArrival;
    }

    /** Marks one more emission of this window: 1 on the first close, +1 on each late update. */
    public int nextVersion() {
        return ++version;
    }

    /** Number of emissions so far (0 while the window is open). */
    public int version() {
        return version;
    }

    public String deviceType() {
        return deviceType;
    }

    public String customerId() {
        return customerId;
    }

    public String siteId() {
        return siteId;
    }

    public boolean hasPosition(int i) {
        return (positionPresent & (1 << i)) != 0;
    }

    public double position(int i) {
        return position[i];
    }

    public long messageCount() {
        return messageCount;
    }

    public long motionDetectedCount() {
        return motionDetectedCount;
    }

    public long metricCount(int m) {
        return metricCount[m];
    }

    public double metricSum(int m) {
        return metricSum[m];
    }

    /** +Infinity when the count is 0. */
    public double metricMin(int m) {
        return metricMin[m];
    }

    /** -Infinity when the count is 0. */
    public double metricMax(int m) {
        return metricMax[m];
    }

    public long counterSum(int c) {
        return counterSum[c];
    }

    public long firstEventTime() {
        return firstEventTime;
    }

    public long lastEventTime() {
        return lastEventTime;
    }

    public Accumulator copy() {
        Accumulator a = new Accumulator();
        a.deviceType = deviceType;
        a.customerId = customerId;
        a.siteId = siteId;
        System.arraycopy(position, 0, a.position, 0, 3);
        a.positionPresent = positionPresent;
        a.messageCount = messageCount;
        a.motionDetectedCount = motionDetectedCount;
        System.arraycopy(metricCount, 0, a.metricCount, 0, METRICS);
        System.arraycopy(metricSum, 0, a.metricSum, 0, METRICS);
        System.arraycopy(metricMin, 0, a.metricMin, 0, METRICS);
        System.arraycopy(metricMax, 0, a.metricMax, 0, METRICS);
        System.arraycopy(counterSum, 0, a.counterSum, 0, COUNTERS);
        a.firstEventTime = firstEventTime;
        a.lastEventTime = lastEventTime;
        a.version = version;
        a.firstArrival = firstArrival;
        a.direct = direct;
        return a;
    }

}
