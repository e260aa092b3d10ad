package io.sensorrollup.sink;

import io.sensorrollup.source.Reading;
import io.sensorrollup.window.WindowRow;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One column of the aggregate row (CONTRACT §3), as every store gets it: its name, what kind of value it
 * holds, and how a {@link WindowRow} fills it ({@code null} for SQL NULL). {@link #ALL} is the contract's
 * order; each sink maps the kinds onto its own types.
 */
public record AggregateColumn(String name, Kind kind, boolean nullable, Function<WindowRow, Object> value) {

    /** The Java value {@link #value} returns: String, Integer, Long, Double, or epoch millis (Long) for times. */
    public enum Kind {
        TEXT, INT32, INT64, FLOAT64,
        /** Epoch millis that are whole seconds (window bounds). */
        TIME_SECONDS,
        /** Epoch millis (event times). */
        TIME_MILLIS
    }

    public static final List<String> KEY = List.of("device_id", "window_size_s", "window_start");
    public static final List<AggregateColumn> ALL = all();

    private static List<AggregateColumn> all() {
        List<AggregateColumn> c = new ArrayList<>();
        c.add(new AggregateColumn("device_id", Kind.TEXT, false, WindowRow::deviceId));
        c.add(new AggregateColumn("window_size_s", Kind.INT32, false, r -> Math.toIntExact(r.windowSizeSeconds())));
        c.add(new AggregateColumn("window_start", Kind.TIME_SECONDS, false, WindowRow::windowStart));
        c.add(new AggregateColumn("window_end", Kind.TIME_SECONDS, false, WindowRow::windowEnd));
        c.add(new AggregateColumn("device_type", Kind.TEXT, true, WindowRow::deviceType));
        c.add(new AggregateColumn("customer_id", Kind.TEXT, true, WindowRow::customerId));
        c.add(new AggregateColumn("site_id", Kind.TEXT, true, WindowRow::siteId));
        String[] positions = {"latitude", "longitude", "altitude"};
        for (int p = 0; p < positions.length; p++) {
            int i = p;
            c.add(new AggregateColumn(positions[p], Kind.FLOAT64, true, r -> r.hasPosition(i) ? r.position(i) : null));
        }
        c.add(new AggregateColumn("message_count", Kind.INT64, false, WindowRow::messageCount));
        for (int m = 0; m < Reading.METRIC_COUNT; m++) {
            int i = m;
            String name = Reading.METRICS[m];
            c.add(new AggregateColumn(name + "_avg", Kind.FLOAT64, true, r -> r.metricCount(i) == 0 ? null : r.metricAvg(i)));
            c.add(new AggregateColumn(name + "_min", Kind.FLOAT64, true, r -> r.metricCount(i) == 0 ? null : r.metricMin(i)));
            c.add(new AggregateColumn(name + "_max", Kind.FLOAT64, true, r -> r.metricCount(i) == 0 ? null : r.metricMax(i)));
            c.add(new AggregateColumn(name + "_count", Kind.INT64, false, r -> r.metricCount(i)));
        }
        c.add(new AggregateColumn("motion_detected_count", Kind.INT64, false, WindowRow::motionDetectedCount));
        for (int k = 0; k < Reading.COUNTER_COUNT; k++) {
            int i = k;
            c.add(new AggregateColumn(Reading.COUNTERS[k] + "_sum", Kind.INT64, false, r -> r.counterSum(i)));
        }
        c.add(new AggregateColumn("first_event_time", Kind.TIME_MILLIS, false, WindowRow::firstEventTime));
        c.add(new AggregateColumn("last_event_time", Kind.TIME_MILLIS, false, WindowRow::lastEventTime));
        c.add(new AggregateColumn("version", Kind.INT32, false, WindowRow::version));
        return List.copyOf(c);
    }
}
