package io.sensorrollup.sink.clickhouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.QueryResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorrollup.it.LocalServersResource;
import io.sensorrollup.sink.AggregateColumn;
import io.sensorrollup.sink.IncompatibleTableException;
import io.sensorrollup.sink.RefusalIsolation;
import io.sensorrollup.sink.Refusal;
import io.sensorrollup.sink.TestRows;
import io.sensorrollup.state.OutboxEntry;
import io.sensorrollup.window.WindowRowCodec;
import io.sensorrollup.state.EngineRows;
import io.sensorrollup.window.WindowRow;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ClickHouse sink against the local server (18.16 here), with rows the real engine emitted; a database per run. */
class ClickHouseRowSinkIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATABASE = "sink_it_" + UUID.randomUUID().toString().substring(0, 8);

    private static Client client;
    private static List<WindowRow> emitted;

    @BeforeAll
    static void setUp() {
        Map<String, String> env = LocalServersResource.servers().env();
        client = new Client.Builder().addEndpoint(env.get("CLICKHOUSE_URL")).setUsername(env.get("CLICKHOUSE_USER"))
                .setPassword(env.get("CLICKHOUSE_PASSWORD")).compressServerResponse(false)
                .setSocketTimeout(30, ChronoUnit.SECONDS).build();
        // jitter beyond the out-of-orderness bound within the allowed lateness: late updates, version 2 and more
        emitted = EngineRows.emitted(7, 6_000, 13, 1_000, 90_000, EngineRows.config("1m,5m", Duration.ofSeconds(30)));
    }

    @AfterAll
    static void tearDown() throws Exception {
        client.execute("DROP DATABASE IF EXISTS " + DATABASE).get(30, TimeUnit.SECONDS).close();
        client.close();
    }

    @Test
    void everyRowReadBackWithFinalIsTheNewestVersionColumnByColumnEvenWhenEverythingIsSentTwice() throws Exception {
        ClickHouseDatabase database = database(DATABASE);
        database.ensureExists();
        ClickHouseRowSink sink = new ClickHouseRowSink(client, database);
        assertTrue(emitted.stream().anyMatch(r -> r.version() > 1), "the input has late updates");
        for (int round = 0; round < 2; round++) { // a replay resends everything, older versions included
            for (int from = 0; from < emitted.size(); from += 1_000) {
                sink.write(emitted.subList(from, Math.min(emitted.size(), from + 1_000))).toCompletableFuture().join();
            }
        }
        Map<String, WindowRow> newest = new HashMap<>();
        emitted.forEach(r -> newest.merge(key(r.deviceId(), r.windowSizeSeconds(), r.windowStart()), r,
                (a, b) -> a.version() >= b.version() ? a : b));

        List<JsonNode> stored = rows(DATABASE);
        assertEquals(newest.size(), stored.size(), "FINAL: one row per key");
        long resolution = eventTimeResolution(DATABASE);
        for (JsonNode row : stored) {
            long start = epochMillis(row.path("window_start").asText());
            WindowRow expected = newest.get(key(row.path("device_id").asText(), row.path("window_size_s").asLong(), start));
            assertNotNull(expected, "unexpected row " + row);
            assertColumns(expected, row, resolution);
        }
    }

    /** Issue 12 item 12, CONTRACT §5: of two writes of an equal version the later one wins, as in PostgreSQL. */
    @Test
    void ofTwoWritesOfAnEqualVersionTheLaterOneWins() throws Exception {
        inOwnDatabase("_equal", (db, database) -> {
            ClickHouseRowSink sink = new ClickHouseRowSink(client, database);
            long start = 1_767_225_600_000L;
            for (double temperature : new double[] {20.0, 25.0, 22.0}) {
                sink.write(List.of(TestRows.row("equal-version", start, 1, temperature))).toCompletableFuture().join();
            }
            assertEquals(List.of(22.0), rows(db).stream().map(r -> r.path("temperature_avg").asDouble()).toList(),
                    "before the parts merged");
            client.execute("OPTIMIZE TABLE " + db + ".sensor_aggregates FINAL").get(30, TimeUnit.SECONDS).close();
            assertEquals(List.of(22.0), rows(db).stream().map(r -> r.path("temperature_avg").asDouble()).toList(),
                    "after the parts merged");
            sink.write(List.of(TestRows.row("equal-version", start, 1, 30.0), TestRows.row("equal-version", start, 1, 31.0)))
                    .toCompletableFuture().join();
            assertEquals(List.of(31.0), rows(db).stream().map(r -> r.path("temperature_avg").asDouble()).toList(),
                    "the later of two in one insert");
        });
    }

    /**
     * Issue 12 item 3: a time DateTime cannot hold (it would wrap silently) is refused for its content before the insert,
     * isolated, and the other rows are stored; a server that does not answer is not such a refusal.
     */
    @Test
    void aRowTheTableCannotHoldIsRefusedForItsContentAndTheOthersAreStored() throws Exception {
        inOwnDatabase("_refused", (db, database) -> {
            ClickHouseRowSink sink = new ClickHouseRowSink(client, database);
            long start = 1_767_225_600_000L;
            List<WindowRow> rows = List.of(TestRows.row("a", start, 1, 1.0),
                    TestRows.row("far-future", 7_258_118_400_000L, 1, 2.0), // 2200-01-01
                    TestRows.row("b", start, 1, 3.0));
            List<OutboxEntry> entries = rows.stream().map(r -> new OutboxEntry(rows.indexOf(r), WindowRowCodec.encode(r))).toList();
            // window_start is DateTime('UTC') on every server version (ClickHouseSchema)
            List<Refusal> refused = RefusalIsolation.write(sink, 0, entries, rows).toCompletableFuture().get(60, TimeUnit.SECONDS);
            assertEquals(List.of("far-future"), refused.stream().map(Refusal::deviceId).toList());
            assertTrue(refused.get(0).message().contains("outside the range of ClickHouse DateTime"), refused.get(0).message());
            assertEquals(List.of("a", "b"), rows(db).stream().map(r -> r.path("device_id").asText()).sorted().toList());

            try (Client nowhere = new Client.Builder().addEndpoint("http://127.0.0.1:1").setUsername("default")
                    .setPassword("").compressServerResponse(false).build()) {
                Throwable down = new ClickHouseRowSink(nowhere, database).write(rows.subList(0, 1)).toCompletableFuture()
                        .handle((ok, e) -> e).get(60, TimeUnit.SECONDS);
                assertTrue(down != null && !sink.refusesContent(down), String.valueOf(down));
            }
        });
    }

    @Test
    void preparingAgainKeepsTheRowsAndATableThatDoesNotFitIsRefusedSayingWhy() throws Exception {
        inOwnDatabase("_fit", (db, database) -> {
            new ClickHouseRowSink(client, database).write(emitted.subList(0, 10)).toCompletableFuture().join();
            database.ensureExists();
            assertEquals(10, rows(db).size());

            client.execute("ALTER TABLE " + db + ".sensor_aggregates DROP COLUMN site_id").get(30, TimeUnit.SECONDS).close();
            IncompatibleTableException e = assertThrows(IncompatibleTableException.class, database::ensureExists);
            assertTrue(e.getMessage().contains("no column site_id") && e.getMessage().contains("rollup.clickhouse.database"),
                    e.getMessage());
        });
    }

    private static void assertColumns(WindowRow expected, JsonNode row, long resolution) {
        Map<String, Object> want = EngineRows.columns(expected);
        String at = expected.key() + ": ";
        for (AggregateColumn column : AggregateColumn.ALL) {
            Object w = want.get(column.name());
            JsonNode got = row.path(column.name());
            if (w == null) {
                assertTrue(got.isNull(), at + column.name() + " should be NULL, is " + got);
                continue;
            }
            switch (column.kind()) {
                case TEXT -> assertEquals(w, got.asText(), at + column.name());
                case INT32, INT64 -> assertEquals(((Number) w).longValue(), got.asLong(), at + column.name());
                case FLOAT64 -> assertEquals((Double) w, got.asDouble(), 0.0, at + column.name());
                case TIME_SECONDS -> assertEquals((long) (Long) w, epochMillis(got.asText()), at + column.name());
                case TIME_MILLIS -> {
                    long t = (Long) w;
                    assertEquals(t - Math.floorMod(t, resolution), epochMillis(got.asText()), at + column.name());
                }
            }
        }
    }

    private interface DatabaseTest {
        void run(String db, ClickHouseDatabase database) throws Exception;
    }

    /** Runs {@code test} in a database of its own, prepared, and drops it after. */
    private void inOwnDatabase(String suffix, DatabaseTest test) throws Exception {
        String db = DATABASE + suffix;
        try {
            ClickHouseDatabase database = database(db);
            database.ensureExists();
            test.run(db, database);
        } finally {
            client.execute("DROP DATABASE IF EXISTS " + db).get(30, TimeUnit.SECONDS).close();
        }
    }

    private ClickHouseDatabase database(String name) {
        return new ClickHouseDatabase(client, LocalServersResource.servers().env().get("CLICKHOUSE_URL"), name);
    }

    private static List<JsonNode> rows(String database) throws Exception {
        String body = text("SELECT * FROM " + database + ".sensor_aggregates FINAL FORMAT JSONEachRow");
        return body.lines().filter(l -> !l.isBlank()).map(l -> {
            try {
                return JSON.readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static long eventTimeResolution(String database) throws Exception {
        return text("SELECT type FROM system.columns WHERE database = '" + database + "' AND table = 'sensor_aggregates'"
                + " AND name = 'first_event_time' FORMAT TabSeparated").startsWith("DateTime64") ? 1 : 1000;
    }

    private static String text(String sql) throws Exception {
        try (QueryResponse response = client.query(sql).get(30, TimeUnit.SECONDS)) {
            return new String(response.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static long epochMillis(String time) {
        return time.indexOf('T') > 0 ? OffsetDateTime.parse(time).toInstant().toEpochMilli()
                : LocalDateTime.parse(time.replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    private static String key(String device, long sizeSeconds, long start) {
        return device + "/" + sizeSeconds + "/" + start;
    }
}
