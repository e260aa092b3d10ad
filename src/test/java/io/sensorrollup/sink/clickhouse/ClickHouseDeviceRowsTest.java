package io.sensorrollup.sink.clickhouse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The device id typed into the console goes into the query as a literal that no quote or backslash can end. */
class ClickHouseDeviceRowsTest {

    @Test
    void quotesAndBackslashesCannotEndTheLiteral() {
        assertEquals("'sensor_00001'", ClickHouseDeviceRows.literal("sensor_00001"));
        assertEquals("'x\\' OR 1=1 --'", ClickHouseDeviceRows.literal("x' OR 1=1 --"));
        assertEquals("'a\\\\\\' OR \\'1'", ClickHouseDeviceRows.literal("a\\' OR '1"));
    }
}
