package io.sensorrollup.sink.postgres;

import io.sensorrollup.sink.IncompatibleTableException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes sure {@code <schema>.sensor_aggregates} exists with the columns and key the sink writes: creates
 * schema and table when missing, and refuses a table that lacks a column, has one of another type, or has
 * no unique key on {@code (device_id, window_size_s, window_start)}. Creates only what is missing, so a
 * database user without CREATE rights works once an administrator created the table.
 */
public final class PostgresSchema {

    private static final String COLUMNS = "SELECT column_name::text, data_type::text FROM information_schema.columns"
            + " WHERE table_schema = $1 AND table_name = '" + AggregatesTable.NAME + "'";
    // unique, non-partial indexes on plain columns (what ON CONFLICT (key columns) can use)
    private static final String UNIQUE_KEYS = "SELECT i.indexrelid::int8, array_agg(a.attname::text) FROM pg_index i"
            + " JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey)"
            + " WHERE n.nspname = $1 AND c.relname = '" + AggregatesTable.NAME + "'"
            + " AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL GROUP BY i.indexrelid";

    private final Pool pool;
    private final String schema;
    private final AggregatesTable table;

    public PostgresSchema(Pool pool, String schema) {
        this.pool = pool;
        this.schema = schema;
        this.table = new AggregatesTable(schema);
    }

    /** Creates what is missing, then checks the table; throws with what does not match. */
    public void ensure(Duration timeout) {
        Map<String, String> columns = columns(timeout);
        if (columns.isEmpty()) {
            boolean schemaExists = pool.preparedQuery("SELECT 1 FROM pg_namespace WHERE nspname = $1")
                    .execute(Tuple.of(schema)).await().atMost(timeout).size() > 0;
            if (!schemaExists) {
                pool.query("CREATE SCHEMA IF NOT EXISTS \"" + schema + '"').execute().await().atMost(timeout);
            }
            pool.query(table.createTable()).execute().await().atMost(timeout);
            columns = columns(timeout);
        }
        List<String> problems = new ArrayList<>();
        for (AggregatesTable.Column column : AggregatesTable.COLUMNS) {
            String type = columns.get(column.name());
            if (type == null) {
                problems.add("no column " + column.name());
            } else if (!type.equals(column.type().sql)) {
                problems.add(column.name() + " is " + type + ", not " + column.type().sql);
            }
        }
        if (!hasUniqueKey(timeout)) {
            problems.add("no primary key or unique index on exactly (" + String.join(", ", AggregatesTable.KEY) + ")");
        }
        if (!problems.isEmpty()) {
            throw new IncompatibleTableException("PostgreSQL table " + table.qualifiedName() + " does not fit the rows of this"
                    + " service: " + String.join("; ", problems) + ". Alter it, or choose another schema with"
                    + " rollup.postgres.schema.");
        }
    }

    private Map<String, String> columns(Duration timeout) {
        Map<String, String> columns = new HashMap<>();
        for (Row row : pool.preparedQuery(COLUMNS).execute(Tuple.of(schema)).await().atMost(timeout)) {
            columns.put(row.getString(0), row.getString(1));
        }
        return columns;
    }

    private boolean hasUniqueKey(Duration timeout) {
        Set<String> key = Set.copyOf(AggregatesTable.KEY);
        for (Row row : pool.preparedQuery(UNIQUE_KEYS).execute(Tuple.of(schema)).await().atMost(timeout)) {
            if (new HashSet<>(List.of(row.getArrayOfStrings(1))).equals(key)) {
                return true;
            }
        }
        return false;
    }
}
