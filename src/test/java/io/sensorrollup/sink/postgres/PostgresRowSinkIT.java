package io.sensorrollup.sink.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorrollup.sink.IncompatibleTableException;
import io.sensorrollup.sink.Failures;
import io.sensorrollup.sink.RefusalIsolation;
import io.sensorrollup.sink.Refusal;
import io.sensorrollup.sink.TestRows;
import io.sensorrollup.state.OutboxEntry;
import io.sensorrollup.window.WindowRowCodec;
import io.sensorrollup.source.Reading;
import io.sensorrollup.state.EngineRows;
import io.sensorrollup.window.WindowKey;
import io.sensorrollup.window.WindowRow;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The PostgreSQL sink against the local server, with rows the real engine emitted; each test in its own schema. */
class PostgresRowSinkIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> SCHEMAS = new ArrayList<>();

    private static LocalPostgres postgres;
    /** In emission order; jitter beyond the out-of-orderness bound within the allowed lateness gives late updates. */
    private static List<WindowRow> emitted;

    @BeforeAll
    static void setUp() {
        postgres = new LocalPostgres(4);
        emitted = EngineRows.emitted(7, 6_000, 13, 1_000, 90_000, EngineRows.config("1m,5m", Duration.ofSeconds(30)));
    }

    @AfterAll
    static void tearDown() {
        if (postgres != null) {
            SCHEMAS.forEach(postgres::dropSchema);
            postgres.close();
        }
    }

    @Test
    void theTableHasTheContractsColumnsTypesAndKey() {
        String schema = newSchema();
        List<String> expected = new ArrayList<>(List.of(
                "device_id text", "window_size_s integer", "window_start timestamp with time zone",
                "window_end timestamp with time zone", "device_type text", "customer_id text", "site_id text",
                "latitude double precision", "longitude double precision", "altitude double precision",
                "message_count bigint"));
        for (String m : Reading.METRICS) {
            expected.addAll(List.of(m + "_avg double precision", m + "_min double precision", m + "_max double precision",
                    m + "_count bigint"));
        }
        expected.add("motion_detected_count bigint");
        for (String c : List.of("error_count", "status", "packets_sent", "packets_received", "bytes_sent", "bytes_received")) {
            expected.add(c + "_sum bigint");
        }
        expected.addAll(List.of("first_event_time timestamp with time zone", "last_event_time timestamp with time zone",
                "version integer"));

        List<String> actual = new ArrayList<>();
        for (Row r : query("SELECT column_name || ' ' || data_type FROM information_schema.columns"
                + " WHERE table_schema = $1 AND table_name = 'sensor_aggregates' ORDER BY ordinal_position", schema)) {
            actual.add(r.getString(0));
        }
        assertEquals(expected, actual);
        List<String> key = new ArrayList<>();
        for (Row r : query("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'p'"
                + " AND conrelid = ('\"' || $1 || '\".sensor_aggregates')::regclass", schema)) {
            key.add(r.getString(0));
        }
        assertEquals(List.of("PRIMARY KEY (device_id, window_size_s, window_start)"), key);
    }

    @Test
    void everyColumnReadsBackAsTheEngineEmittedIt() throws Exception {
        assertTrue(emitted.stream().anyMatch(r -> r.version() > 1), "late updates");
        assertTrue(emitted.stream().anyMatch(r -> r.metricCount(0) > 0 && r.metricMin(0) < 0), "negative temperatures");
        assertTrue(emitted.stream().anyMatch(r -> r.deviceType() == null), "absent metadata");
        assertTrue(emitted.stream().anyMatch(r -> !r.hasPosition(Reading.LATITUDE)), "absent position");
        assertTrue(emitted.stream().anyMatch(r -> r.metricCount(3) == 0), "absent metric");
        String schema = newSchema();
        PostgresRowSink sink = new PostgresRowSink(postgres.pool(), schema);
        assertEquals("postgresql", sink.name());
        for (int from = 0; from < emitted.size(); from += 1_000) {
            write(sink, emitted.subList(from, Math.min(emitted.size(), from + 1_000)));
        }
        assertStored(schema, latestPerKey(emitted));
    }

    @Test
    void theSameBatchTwiceLeavesOneRowPerKey() throws Exception {
        String schema = newSchema();
        PostgresRowSink sink = new PostgresRowSink(postgres.pool(), schema);
        List<WindowRow> batch = emitted.subList(0, 2_000);
        write(sink, batch);
        write(sink, batch);
        assertStored(schema, latestPerKey(batch));
    }

    @Test
    void aLargerVersionReplacesTheRowAndAReplayedOlderOneDoesNotDowngradeIt() throws Exception {
        String schema = newSchema();
        PostgresRowSink sink = new PostgresRowSink(postgres.pool(), schema);
        List<WindowRow> first = version(1);
        List<WindowRow> second = version(2);
        assertTrue(second.size() >= 10, "enough windows with a late update: " + second.size());
        write(sink, first);
        assertStored(schema, latestPerKey(first));
        write(sink, second);
        assertStored(schema, latestPerKey(second));
        write(sink, first);
        assertStored(schema, latestPerKey(second));
    }

    /** Issue 12 item 12, CONTRACT §5: of two writes of an equal version the later one wins, as in ClickHouse. */
    @Test
    void ofTwoWritesOfAnEqualVersionTheLaterOneWins() throws Exception {
        String schema = newSchema();
        PostgresRowSink sink = new PostgresRowSink(postgres.pool(), schema);
        long start = 1_767_225_600_000L;
        WindowRow first = TestRows.row("equal-version", start, 1, 20.0);
        WindowRow later = TestRows.row("equal-version", start, 1, 25.0);
        write(sink, List.of(first));
        write(sink, List.of(later));
        assertStored(schema, Map.of(later.key(), later));
        WindowRow inOneBatch = TestRows.row("equal-version", start, 1, 30.0);
        write(sink, List.of(first, inOneBatch));
        assertStored(schema, Map.of(inOneBatch.key(), inOneBatch));
    }

    /**
     * Issue 12 item 3: the server refuses a NUL in a text column (SQLSTATE 22021) on every retry; that is classified as
     * a refusal for the content, the refused row is found and the others are stored. A server that does not answer
     * is not such a refusal.
     */
    @Test
    void aRowTheServerRefusesForItsContentIsIsolatedAndTheOthersAreStored() throws Exception {
        String schema = newSchema();
        PostgresRowSink sink = new PostgresRowSink(postgres.pool(), schema);
        long start = 1_767_225_600_000L;
        List<WindowRow> rows = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            rows.add(TestRows.row(i == 5 ? "nul\u0000x" : "device-" + i, start, 1, i));
        }
        Throwable refusal = sink.write(rows).toCompletableFuture().handle((ok, e) -> e).get(60, TimeUnit.SECONDS);
        assertTrue(refusal != null && sink.refusesContent(refusal), String.valueOf(refusal));
        assertTrue(Failures.rootMessage(refusal).contains("0x00"), Failures.rootMessage(refusal));

        List<OutboxEntry> entries = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            entries.add(new OutboxEntry(100 + i, WindowRowCodec.encode(rows.get(i))));
        }
        List<Refusal> refused = RefusalIsolation.write(sink, 3, entries, rows).toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertEquals(1, refused.size(), refused.toString());
        assertEquals(List.of(105L, "nul\u0000x", 3), List.of(refused.get(0).seq(), refused.get(0).deviceId(),
                refused.get(0).partition()));
        assertTrue(refused.get(0).toString().contains("device_id=\"nul\\u0000x\"") && refused.get(0).message().contains("0x00"),
                refused.get(0).toString());
        Map<WindowKey, WindowRow> others = new HashMap<>();
        rows.stream().filter(r -> !r.deviceId().contains("\u0000")).forEach(r -> others.put(r.key(), r));
        assertStored(schema, others);

        try (LocalPostgres nowhere = new LocalPostgres(1, false, 1)) {
            Throwable down = new PostgresRowSink(nowhere.pool(), schema).write(rows.subList(0, 1)).toCompletableFuture()
                    .handle((ok, e) -> e).get(60, TimeUnit.SECONDS);
            assertTrue(down != null && !sink.refusesContent(down), String.valueOf(down));
        }
    }

    @Test
    void twoVersionsOfAKeyInOneBatchEndAsTheLarger() throws Exception {
        String schema = newSchema();
        PostgresRowSink sink = new PostgresRowSink(postgres.pool(), schema);
        List<WindowRow> first = version(1);
        List<WindowRow> second = version(2);
        List<WindowRow> batch = new ArrayList<>();
        for (int i = 0; i < second.size(); i++) {
            // half the keys in emission order, half with the newer version first
            batch.addAll(i % 2 == 0 ? List.of(first.get(i), second.get(i)) : List.of(second.get(i), first.get(i)));
        }
        write(sink, batch);
        assertStored(schema, latestPerKey(second));
    }

    @Test
    void preparingAnExistingSchemaAgainChangesNothing() throws Exception {
        String schema = newSchema();
        List<WindowRow> batch = emitted.subList(0, 500);
        write(new PostgresRowSink(postgres.pool(), schema), batch);
        new PostgresSchema(postgres.pool(), schema).ensure(TIMEOUT);
        new PostgresSchema(postgres.pool(), schema).ensure(TIMEOUT);
        assertStored(schema, latestPerKey(batch));
    }

    @Test
    void aTableThatDoesNotFitIsRefusedSayingWhy() {
        String schema = LocalPostgres.uniqueSchema("sink_it");
        SCHEMAS.add(schema);
        String table = "\"" + schema + "\".sensor_aggregates";
        postgres.pool().query("CREATE SCHEMA \"" + schema + "\"").execute().await().atMost(TIMEOUT);
        postgres.pool().query("CREATE TABLE " + table + " (device_id text, window_size_s integer,"
                + " window_start timestamptz, version bigint)").execute().await().atMost(TIMEOUT);
        IncompatibleTableException e = assertThrows(IncompatibleTableException.class,
                () -> new PostgresSchema(postgres.pool(), schema).ensure(TIMEOUT));
        assertTrue(e.getMessage().contains(table), e.getMessage());
        assertTrue(e.getMessage().contains("no column window_end"), e.getMessage());
        assertTrue(e.getMessage().contains("no column temperature_avg"), e.getMessage());
        assertTrue(e.getMessage().contains("version is bigint, not integer"), e.getMessage());
        assertTrue(e.getMessage().contains("no primary key or unique index"), e.getMessage());
        assertTrue(e.getMessage().contains("rollup.postgres.schema"), e.getMessage());
    }

    private static String newSchema() {
        String schema = LocalPostgres.uniqueSchema("sink_it");
        SCHEMAS.add(schema);
        new PostgresSchema(postgres.pool(), schema).ensure(TIMEOUT);
        return schema;
    }

    private static void write(PostgresRowSink sink, List<WindowRow> rows) throws Exception {
        sink.write(rows).toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** Version {@code v} of every window emitted with a version 2, in the same key order for every v. */
    private static List<WindowRow> version(int v) {
        Map<WindowKey, WindowRow> byKey = new LinkedHashMap<>();
        emitted.stream().filter(r -> r.version() == 2).forEach(r -> byKey.put(r.key(), null));
        emitted.stream().filter(r -> r.version() == v && byKey.containsKey(r.key())).forEach(r -> byKey.put(r.key(), r));
        return new ArrayList<>(byKey.values());
    }

    private static Map<WindowKey, WindowRow> latestPerKey(List<WindowRow> rows) {
        Map<WindowKey, WindowRow> latest = new HashMap<>();
        for (WindowRow r : rows) {
            WindowRow kept = latest.get(r.key());
            if (kept == null || r.version() > kept.version()) {
                latest.put(r.key(), r);
            }
        }
        return latest;
    }

    /** The table holds exactly these rows: one per key, every column equal. */
    private static void assertStored(String schema, Map<WindowKey, WindowRow> expected) {
        Map<WindowKey, Map<String, Object>> stored = new HashMap<>();
        for (Row r : query("SELECT * FROM \"" + schema + "\".sensor_aggregates", null)) {
            Map<String, Object> columns = columns(r);
            WindowKey key = new WindowKey((String) columns.get("device_id"), (Long) columns.get("window_size_s") * 1000,
                    (Long) columns.get("window_start"));
            assertEquals(null, stored.put(key, columns), "one row per key: " + key);
        }
        assertEquals(expected.keySet(), stored.keySet());
        for (WindowRow row : expected.values()) {
            assertEquals(EngineRows.columns(row), stored.get(row.key()), row.key().toString());
        }
    }

    /** As {@link EngineRows#columns}: NULL as null, timestamps as epoch millis (which they hold exactly). */
    private static Map<String, Object> columns(Row r) {
        Map<String, Object> columns = new LinkedHashMap<>();
        for (int i = 0; i < r.size(); i++) {
            Object value = r.getValue(i);
            if (value instanceof OffsetDateTime t) {
                assertEquals(0, t.getNano() % 1_000_000, "whole milliseconds: " + t);
                value = t.toInstant().toEpochMilli();
            }
            if (r.getColumnName(i).equals("window_size_s")) {
                value = ((Integer) value).longValue();
            }
            columns.put(r.getColumnName(i), value);
        }
        return columns;
    }

    private static Iterable<Row> query(String sql, String schema) {
        return schema == null
                ? postgres.pool().query(sql).execute().await().atMost(TIMEOUT)
                : postgres.pool().preparedQuery(sql).execute(Tuple.of(schema)).await().atMost(TIMEOUT);
    }
}
