package io.sensorrollup.sink.clickhouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorrollup.sink.AggregateColumn;
import io.sensorrollup.sink.IncompatibleTableException;
import io.sensorrollup.window.Accumulator;
import io.sensorrollup.window.WindowKey;
import io.sensorrollup.window.WindowRow;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The DDL follows the server's version; values are encoded as the table's actual column types want them. */
class ClickHouseSchemaTest {

    private final ClickHouseSchema schema = new ClickHouseSchema(null, "rollup");

    @Test
    void eventTimesInMillisecondsOnlyWhereTheServerHasDateTime64() {
        String old = schema.createTable(new ClickHouseSchema.ServerVersion(18, 16));
        String current = schema.createTable(new ClickHouseSchema.ServerVersion(24, 8));
        assertTrue(old.contains("first_event_time DateTime('UTC')"), old);
        assertTrue(current.contains("first_event_time DateTime64(3, 'UTC')"), current);
        for (String ddl : new String[] {old, current}) {
            assertTrue(ddl.startsWith("CREATE TABLE IF NOT EXISTS rollup.sensor_aggregates ("), ddl);
            assertTrue(ddl.endsWith("ENGINE = ReplacingMergeTree(version) PARTITION BY toYYYYMM(window_start)"
                    + " ORDER BY (device_id, window_size_s, window_start)"), ddl);
            assertTrue(ddl.contains("window_start DateTime('UTC')") && ddl.contains("temperature_avg Nullable(Float64)")
                    && ddl.contains("device_type Nullable(String)") && ddl.contains("version UInt32")
                    && ddl.contains("status_sum Int64") && ddl.contains("message_count UInt64"), ddl);
            assertTrue(!ddl.contains("LowCardinality") && !ddl.contains("CODEC") && !ddl.contains("TTL"), ddl);
        }
    }

    @Test
    void timesAreSecondsForDateTimeAndScaledTicksForDateTime64() throws IOException {
        WindowRow row = row(1767225601234L);
        assertEquals("01b95569", hex(encode(column("first_event_time"), "DateTime('UTC')", row)), "1767225601 s, little-endian");
        assertEquals("d2acda769b010000", hex(encode(column("first_event_time"), "DateTime64(3, 'UTC')", row)), "millis");
        assertEquals("d2acda769b010000".length(), hex(encode(column("first_event_time"), "DateTime64(6)", row)).length());
        assertEquals("01", hex(encode(column("customer_id"), "Nullable(String)", row)), "absent metadata is NULL");
        assertEquals("03646576", hex(encode(column("device_id"), "String", row)), "LEB128 length, then UTF-8");
        assertEquals("01", hex(encode(column("temperature_avg"), "Nullable(Float64)", row)), "no temperature: NULL");
    }

    @Test
    void aColumnThatCannotTakeTheValueIsRefused() {
        assertThrows(IncompatibleTableException.class, () -> ColumnEncoder.of(column("message_count"), "UInt16"));
        assertThrows(IncompatibleTableException.class, () -> ColumnEncoder.of(column("device_type"), "String"),
                "NULL would not fit");
        assertThrows(IncompatibleTableException.class, () -> ColumnEncoder.of(column("window_start"), "String"));
        ColumnEncoder.of(column("message_count"), "UInt64");
        ColumnEncoder.of(column("version"), "UInt64");
    }

    private static AggregateColumn column(String name) {
        return AggregateColumn.ALL.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private static WindowRow row(long eventTime) {
        Accumulator acc = new Accumulator();
        io.sensorrollup.source.Reading reading = new io.sensorrollup.source.Reading();
        byte[] json = ("{\"device_id\":\"dev\",\"timestamp\":" + eventTime + "}").getBytes();
        new io.sensorrollup.source.ReadingDecoder().decode(json, 0, json.length, reading);
        acc.add(reading, 1);
        return new WindowRow(WindowKey.probe().set("dev", 60_000, eventTime - eventTime % 60_000), acc);
    }

    private static byte[] encode(AggregateColumn column, String type, WindowRow row) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RowBinaryOutput out = new RowBinaryOutput(bytes);
        ColumnEncoder.of(column, type).write(out, row);
        out.flush();
        return bytes.toByteArray();
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }
}
