package io.sensorrollup.sink.postgres;

import io.sensorrollup.sink.AggregateColumn;
import io.sensorrollup.window.WindowRow;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The table {@code sensor_aggregates} of CONTRACT §3 in one schema: its columns (name, type, how a
 * {@link WindowRow} fills it), its DDL and its upsert.
 */
final class AggregatesTable {

    static final String NAME = "sensor_aggregates";
    static final List<String> KEY = AggregateColumn.KEY;

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
     * row is replaced by a larger or an equal version (of two writes of an equal version the later one wins, as in
     * ClickHouse's ReplacingMergeTree: CONTRACT §5), so an older version changes nothing.
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
                + " WHERE " + NAME + ".version <= EXCLUDED.version";
    }

    private static List<Column> columns() {
        return AggregateColumn.ALL.stream().map(AggregatesTable::column).toList();
    }

    private static Column column(AggregateColumn c) {
        return switch (c.kind()) {
            case TEXT -> new Column(c.name(), Type.TEXT, c.nullable(), c.value());
            case INT32 -> new Column(c.name(), Type.INTEGER, c.nullable(), c.value());
            case INT64 -> new Column(c.name(), Type.BIGINT, c.nullable(), c.value());
            case FLOAT64 -> new Column(c.name(), Type.DOUBLE, c.nullable(), c.value());
            case TIME_SECONDS, TIME_MILLIS -> new Column(c.name(), Type.TIMESTAMPTZ, c.nullable(),
                    r -> timestamp((Long) c.value().apply(r)));
        };
    }

    private static OffsetDateTime timestamp(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC);
    }
}
