package io.sensorrollup.window;

import io.sensorrollup.source.Reading;
import java.util.Arrays;

/**
 * One emitted aggregate: the row a sink writes (CONTRACT §3). Immutable. Metric indexes follow
 * {@link Reading#METRICS}, counter indexes {@link Reading#COUNTERS}, position indexes
 * {@link Reading#LATITUDE}/{@code LONGITUDE}/{@code ALTITUDE}.
 *
 * <p>Column mapping: {@code <m>_avg/_min/_max} are NULL when {@link #metricCount} is 0 (then
 * {@link #metricAvg}, {@link #metricMin}, {@link #metricMax} return NaN); latitude/longitude/altitude
 * and the metadata strings are NULL when absent from the first reading of the window.
 */
public final class WindowRow {

    private final WindowKey key;
    private final Accumulator values;

    /** Copies the accumulator, so later updates to it do not change this row. */
    public WindowRow(WindowKey key, Accumulator values) {
        this.key = key.copy();
        this.values = values.copy();
    }

    private WindowRow(Accumulator owned, WindowKey key) {
        this.key = key;
        this.values = owned;
    }

    /** A row over an accumulator nobody else holds (the codec's freshly decoded one): no copy. */
    static WindowRow wrap(WindowKey key, Accumulator owned) {
        return new WindowRow(owned, key);
    }

    public WindowKey key() {
        return key;
    }

    public String deviceId() {
        return key.deviceId();
    }

    public long windowSizeMillis() {
        return key.sizeMillis();
    }

    public long windowSizeSeconds() {
        return key.sizeMillis() / 1000;
    }

    /** Epoch millis, UTC. */
    public long windowStart() {
        return key.start();
    }

    public long windowEnd() {
        return key.end();
    }

    public String deviceType() {
        return values.deviceType();
    }

    public String customerId() {
        return values.customerId();
    }

    public String siteId() {
        return values.siteId();
    }

    public boolean hasPosition(int i) {
        return values.hasPosition(i);
    }

    /** NaN when absent. */
    public double position(int i) {
        return values.hasPosition(i) ? values.position(i) : Double.NaN;
    }

    public long messageCount() {
        return values.messageCount();
    }

    public long metricCount(int m) {
        return values.metricCount(m);
    }

    public double metricSum(int m) {
        return values.metricSum(m);
    }

    /** {@code sum / count}; NaN (NULL) when the count is 0. */
    public double metricAvg(int m) {
        long n = values.metricCount(m);
        return n == 0 ? Double.NaN : values.metricSum(m) / n;
    }

    public double metricMin(int m) {
        return values.metricCount(m) == 0 ? Double.NaN : values.metricMin(m);
    }

    public double metricMax(int m) {
        return values.metricCount(m) == 0 ? Double.NaN : values.metricMax(m);
    }

    public long motionDetectedCount() {
        return values.motionDetectedCount();
    }

    public long counterSum(int c) {
        return values.counterSum(c);
    }

    public long firstEventTime() {
        return values.firstEventTime();
    }

    public long lastEventTime() {
        return values.lastEventTime();
    }

    /** 1 on the first emission, +1 on each late update. */
    public int version() {
        return values.version();
    }

    Accumulator values() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WindowRow r && Arrays.equals(WindowRowCodec.encode(this), WindowRowCodec.encode(r));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(WindowRowCodec.encode(this));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(key).append(" v").append(version()).append(" n=").append(messageCount())
                .append(" t=[").append(firstEventTime()).append(',').append(lastEventTime()).append(']')
                .append(" meta=").append(deviceType()).append('/').append(customerId()).append('/').append(siteId());
        for (int m = 0; m < Reading.METRIC_COUNT; m++) {
            if (metricCount(m) > 0) {
                sb.append(' ').append(Reading.METRICS[m]).append("=[").append(metricCount(m)).append(' ')
                        .append(metricSum(m)).append(' ').append(metricMin(m)).append(' ').append(metricMax(m))
                        .append(']');
            }
        }
        sb.append(" motion=").append(motionDetectedCount());
        for (int c = 0; c < Reading.COUNTER_COUNT; c++) {
            sb.append(' ').append(Reading.COUNTERS[c]).append('=').append(counterSum(c));
        }
        return sb.toString();
    }
}
