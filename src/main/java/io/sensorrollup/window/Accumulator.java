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

    public Accumulator() {
        Arrays.fill(metricMin, Double.POSITIVE_INFINITY);
        Arrays.fill(metricMax, Double.NEGATIVE_INFINITY);
    }

    /** Adds one valid reading. Metadata comes from the first reading added. Counter sums wrap on overflow. */
    public void add(Reading r) {
        long ts = r.timestamp();
        if (messageCount == 0) {
            deviceType = r.deviceType();
            customerId = r.customerId();
            siteId = r.siteId();
            for (int i = 0; i < 3; i++) {
                if (r.hasPosition(i)) {
                    position[i] = r.position(i);
                    positionPresent |= 1 << i;
                }
            }
            firstEventTime = ts;
            lastEventTime = ts;
        } else {
            if (ts < firstEventTime) {
                firstEventTime = ts;
            }
            if (ts > lastEventTime) {
                lastEventTime = ts;
            }
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
        return a;
    }

    /** A rough heap footprint, for the byte budget of the write-back cache. */
    public int estimatedHeapBytes() {
        // object headers and the five arrays (~560 bytes) plus strings that may not be shared
        return 600 + stringBytes(deviceType) + stringBytes(customerId) + stringBytes(siteId);
    }

    private static int stringBytes(String s) {
        return s == null ? 0 : 48 + s.length();
    }
}
