package io.sensorrollup.source;

/**
 * One decoded sensor reading (CONTRACT §1), as primitives with presence bits: no boxing, and one
 * instance is reused for every message a thread decodes. Absent and {@code null} fields are "not
 * present"; an absent metric is never a zero.
 */
public final class Reading {

    /** The eight metrics, in the order of every per-metric array in the engine. */
    public static final String[] METRICS = {
        "temperature", "humidity", "pressure", "co2", "noise", "light", "battery", "signal"
    };
    public static final int METRIC_COUNT = METRICS.length;

    /** The integer counters that are summed per window (absent counts as 0). */
    public static final String[] COUNTERS = {
        "error_count", "status", "packets_sent", "packets_received", "bytes_sent", "bytes_received"
    };
    public static final int COUNTER_COUNT = COUNTERS.length;

    public static final int LATITUDE = 0;
    public static final int LONGITUDE = 1;
    public static final int ALTITUDE = 2;

    String deviceId;
    long timestamp;
    String deviceType;
    String customerId;
    String siteId;
    final double[] position = new double[3];
    int positionPresent;
    final double[] metrics = new double[METRIC_COUNT];
    int metricsPresent;
    final long[] counters = new long[COUNTER_COUNT];
    boolean motionDetected;

    public String deviceId() {
        return deviceId;
    }

    /** Event time in epoch milliseconds. */
    public long timestamp() {
        return timestamp;
    }

    /** Processing-time mode replaces the event time with the arrival time. */
    public void overrideTimestamp(long epochMillis) {
        this.timestamp = epochMillis;
    }

    /** {@code null} when absent. */
    public String deviceType() {
        return deviceType;
    }

    public String customerId() {
        return customerId;
    }

    public String siteId() {
        return siteId;
    }

    /** Whether position field {@code i} ({@link #LATITUDE}, {@link #LONGITUDE}, {@link #ALTITUDE}) is present. */
    public boolean hasPosition(int i) {
        return (positionPresent & (1 << i)) != 0;
    }

    public double position(int i) {
        return position[i];
    }

    /** Bit {@code m} set when metric {@code m} (index into {@link #METRICS}) is present. */
    public int metricsPresent() {
        return metricsPresent;
    }

    public boolean hasMetric(int m) {
        return (metricsPresent & (1 << m)) != 0;
    }

    public double metric(int m) {
        return metrics[m];
    }

    /** Counter {@code c} (index into {@link #COUNTERS}); 0 when absent. */
    public long counter(int c) {
        return counters[c];
    }

    public boolean motionDetected() {
        return motionDetected;
    }

    /** Forgets every field, ready for the next message. */
    public void clear() {
        deviceId = null;
        timestamp = 0;
        deviceType = null;
        customerId = null;
        siteId = null;
        positionPresent = 0;
        metricsPresent = 0;
        java.util.Arrays.fill(counters, 0L);
        motionDetected = false;
    }

    /** Builder-style setters for tests and the simulator; the decoder writes the fields directly. */
    public Reading deviceId(String v) {
        deviceId = v;
        return this;
    }

    public Reading timestamp(long v) {
        timestamp = v;
        return this;
    }

    public Reading metadata(String type, String customer, String site) {
        deviceType = type;
        customerId = customer;
        siteId = site;
        return this;
    }

    public Reading position(int i, double v) {
        position[i] = v;
        positionPresent |= 1 << i;
        return this;
    }

    public Reading metric(int m, double v) {
        metrics[m] = v;
        metricsPresent |= 1 << m;
        return this;
    }

    public Reading counter(int c, long v) {
        counters[c] = v;
        return this;
    }

    public Reading motionDetected(boolean v) {
        motionDetected = v;
        return this;
    }
}
