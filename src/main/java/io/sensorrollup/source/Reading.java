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

    // metadata the decoder left as ranges of its payload (bit i: device_type, customer_id, site_id)
    private int lazyMetadata;
    private byte[] lazySource;
    private StringInterner lazyInterner;
    private final int[] lazyFrom = new int[3];
    private final int[] lazyTo = new int[3];
    private final int[] lazyHash = new int[3];

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

    /**
     * {@code null} when absent. The decoder makes the three metadata Strings only when asked (they matter for
     * the first reading of a window only), from the payload it decoded: that payload must stay unchanged until
     * the next decode.
     */
    public String deviceType() {
        if ((lazyMetadata & 1) != 0) {
            materialize(0);
        }
        return deviceType;
    }

    public String customerId() {
        if ((lazyMetadata & 2) != 0) {
            materialize(1);
        }
        return customerId;
    }

    public String siteId() {
        if ((lazyMetadata & 4) != 0) {
            materialize(2);
        }
        return siteId;
    }

    /** Metadata field {@code i} (0 device_type, 1 customer_id, 2 site_id) set to a String or null. */
    void setMetadata(int i, String value) {
        lazyMetadata &= ~(1 << i);
        switch (i) {
            case 0 -> deviceType = value;
            case 1 -> customerId = value;
            default -> siteId = value;
        }
    }

    /** Metadata field {@code i} is the ASCII bytes {@code source[from, to)}, made a String on first use. */
    void setLazyMetadata(int i, byte[] source, int from, int to, int hash, StringInterner interner) {
        lazyMetadata |= 1 << i;
        lazySource = source;
        lazyInterner = interner;
        lazyFrom[i] = from;
        lazyTo[i] = to;
        lazyHash[i] = hash;
    }

    private void materialize(int i) {
        setMetadata(i, lazyInterner.intern(lazySource, lazyFrom[i], lazyTo[i], lazyHash[i]));
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
        lazyMetadata = 0;
        lazySource = null;
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
        lazyMetadata = 0;
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
