package io.sensorrollup.sink.postgres;

import io.sensorrollup.source.Reading;
import io.sensorrollup.window.WindowRow;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The table {@code sensor_aggregates} of CONTRACT §3 in one schema: its columns (name, type, how a
 * {@link WindowRow} fills it), its DDL and its upsert.
 */
final class AggregatesTable {

    static final String NAME = "sensor_aggregates";
    static final List<String> KEY = List.of("device_id", "window_size_s", "window_start");

    /** A column type: its SQL name as {@code information_schema.columns.data_type} spells it, and its Java value type. */
    enum Type {
        TEXT("text", String.class),
        INTEGER("integer", Integer.class),
        BIGINT("bigint", Long.class),
        DOUBLE("double precision", Double.class),
        TIMESTAMPTZ("timestamp with time zone", OffsetDateTime.class);

        final String sql;
        final Class<?> javaType;

        Type(String sql, Class<?> javaType) {
            this.sql = sql;
            this.javaType = javaType;
        }
    }

    /** {@code value} returns null for SQL NULL. */
    record Column(String name, Type type, boolean nullable, Function<WindowRow, Object> value) {
    }

    static final List<Column> COLUMNS = columns();

    private final String qualifiedName;

    /** {@code schema} must be a plain identifier (validated by {@link PostgresConfig}); it is quoted as given. */
    AggregatesTable(String schema) {
        if (!schema.matches(PostgresConfig.PLAIN_IDENTIFIER)) {
            throw new IllegalArgumentException("not a plain identifier: " + schema);
        }
        this.qualifiedName = '"' + schema + "\"." + NAME;
    }

    String qualifiedName() {
        return qualifiedName;
    }

    String createTable() {
        return "CREATE TABLE IF NOT EXISTS " + qualifiedName + " ("
                + COLUMNS.stream().map(c -> c.name() + " " + c.type().sql + (c.nullable() ? "" : " NOT NULL"))
                        .collect(Collectors.joining(", "))
                + ", PRIMARY KEY (" + String.join(", ", KEY) + "))";
    }

    /**
     * One row per key from {@code $1..$n}, one array parameter per column, in {@link #COLUMNS} order. A stored
     * row is replaced only by a larger version, so a replay or an older version changes nothing.
     */
    String upsertFromArrays() {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(qualifiedName).append(" (")
                .append(COLUMNS.stream().map(Column::name).collect(Collectors.joining(", ")))
                .append(") SELECT * FROM unnest(");
        for (int i = 0; i < COLUMNS.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append('$').append(i + 1).append("::").append(COLUMNS.get(i).type().sql).append("[]");
        }
        return sql.append(')').append(onConflict()).toString();
    }

    /** The same upsert for one row from {@code $1..$n}. */
    String upsertOne() {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(qualifiedName).append(" (")
                .append(COLUMNS.stream().map(Column::name).collect(Collectors.joining(", ")))
                .append(") VALUES (");
        for (int i = 0; i < COLUMNS.size(); i++) {
            sql.append(i == 0 ? "$" : ", $").append(i + 1);
        }
        return sql.append(')').append(onConflict()).toString();
    }

    private static String onConflict() {
        return " ON CONFLICT (" + String.join(", ", KEY) + ") DO UPDATE SET "
                + COLUMNS.stream().filter(c -> !KEY.contains(c.name()))
                        .map(c -> c.name() + " = EXCLUDED." + c.name()).collect(Collectors.joining(", "))
                + " WHERE " + NAME + ".version < EXCLUDED.version";
    }

    private static List<Column> columns() {
        List<Column> c = new ArrayList<>();
        c.add(new Column("device_id", Type.TEXT, false, WindowRow::deviceId));
        c.add(new Column("window_size_s", Type.INTEGER, false, r -> Math.toIntExact(r.windowSizeSeconds())));
        c.add(new Column("window_start", Type.TIMESTAMPTZ, false, r -> timestamp(r.windowStart())));
        c.add(new Column("window_end", Type.TIMESTAMPTZ, false, r -> timestamp(r.windowEnd())));
        c.add(new Column("device_type", Type.TEXT, true, WindowRow::deviceType));
        c.add(new Column("customer_id", Type.TEXT, true, WindowRow::customerId));
        c.add(new Column("site_id", Type.TEXT, true, WindowRow::siteId));
        String[] positions = {"latitude", "longitude", "altitude"};
        for (int p = 0; p < positions.length; p++) {
            int i = p;
            c.add(new Column(positions[p], Type.DOUBLE, true, r -> r.hasPosition(i) ? r.position(i) : null));
        }
        c.add(new Column("message_count", Type.BIGINT, false, WindowRow::messageCount));
        for (int m = 0; m < Reading.METRIC_COUNT; m++) {
            int i = m;
            String name = Reading.METRICS[m];
            c.add(new Column(name + "_avg", Type.DOUBLE, true, r -> r.metricCount(i) == 0 ? null : r.metricAvg(i)));
            c.add(new Column(name + "_min", Type.DOUBLE, true, r -> r.metricCount(i) == 0 ? null : r.metricMin(i)));
            c.add(new Column(name + "_max", Type.DOUBLE, true, r -> r.metricCount(i) == 0 ? null : r.metricMax(i)));
            c.add(new Column(name + "_count", Type.BIGINT, false, r -> r.metricCount(i)));
        }
        c.add(new Column("motion_detected_count", Type.BIGINT, false, WindowRow::motionDetectedCount));
        for (int k = 0; k < Reading.COUNTER_COUNT; k++) {
            int i = k;
            c.add(new Column(Reading.COUNTERS[k] + "_sum", Type.BIGINT, false, r -> r.counterSum(i)));
        }
        c.add(new Column("first_event_time", Type.TIMESTAMPTZ, false, r -> timestamp(r.firstEventTime())));
        c.add(new Column("last_event_time", Type.TIMESTAMPTZ, false, r -> timestamp(r.lastEventTime())));
        c.add(new Column("version", Type.INTEGER, false, WindowRow::version));
        return List.copyOf(c);
    }

    private static OffsetDateTime timestamp(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC);
    }
}
