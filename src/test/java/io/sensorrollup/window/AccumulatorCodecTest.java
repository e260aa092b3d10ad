package io.sensorrollup.window;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorrollup.source.Reading;
import org.junit.jupiter.api.Test;

class AccumulatorCodecTest {

    private static Accumulator sample() {
        Accumulator a = new Accumulator();
        Reading r = new Reading();
        r.deviceId("d").timestamp(-5_000).metadata("freezer-probe", "cust é", null)
                .position(Reading.LATITUDE, -33.5).position(Reading.ALTITUDE, 0.0)
                .metric(0, -21.5).metric(7, -80).counter(0, 2).counter(1, -3).counter(5, 64_000).motionDetected(true);
        a.add(r);
        r.clear();
        r.deviceId("d").timestamp(-9_000).metadata("other", "other", "other").metric(0, -25.25).metric(2, 1013.5)
                .counter(1, 1);
        a.add(r);
        a.nextVersion();
        return a;
    }

    @Test
    void minAndMaxOfNegativeValues() {
        Accumulator a = sample();
        assertEquals(-25.25, a.metricMin(0));
        assertEquals(-21.5, a.metricMax(0), "initial max must be -Infinity, not Double.MIN_VALUE");
        assertEquals(-80, a.metricMax(7));
        assertEquals(-9_000, a.firstEventTime());
        assertEquals(-5_000, a.lastEventTime());
        assertEquals("freezer-probe", a.deviceType(), "metadata from the first reading");
        assertNull(a.siteId(), "absent in the first reading stays absent");
        assertEquals(-2, a.counterSum(1));
        assertEquals(1, a.motionDetectedCount());
    }

    @Test
    void roundTripIsExact() {
        Accumulator a = sample();
        byte[] bytes = AccumulatorCodec.encode(a);
        assertEquals(AccumulatorCodec.FORMAT_1, bytes[0]);
        Accumulator b = AccumulatorCodec.decode(bytes);
        assertArrayEquals(bytes, AccumulatorCodec.encode(b));
        assertEquals(1, b.version());
        assertEquals(1, AccumulatorCodec.version(bytes));
        assertEquals("cust é", b.customerId());
        assertEquals(-33.5, b.position(Reading.LATITUDE));
        assertEquals(2, b.metricCount(0));
        assertEquals(-46.75, b.metricSum(0));
        assertEquals(Double.POSITIVE_INFINITY, b.metricMin(1), "absent metric keeps its neutral min");
        // an empty accumulator too
        Accumulator empty = new Accumulator();
        assertArrayEquals(AccumulatorCodec.encode(empty), AccumulatorCodec.encode(AccumulatorCodec.decode(AccumulatorCodec.encode(empty))));
    }

    @Test
    void unknownFormatFailsClearly() {
        byte[] bytes = AccumulatorCodec.encode(sample());
        bytes[0] = 7;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AccumulatorCodec.decode(bytes));
        assertTrue(e.getMessage().contains("unknown accumulator format 7"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AccumulatorCodec.decode(new byte[] {1, 0}));
    }

    @Test
    void rowRoundTripAndAverages() {
        WindowRow row = new WindowRow(new WindowKey("dev-1", 60_000, -60_000), sample());
        byte[] bytes = WindowRowCodec.encode(row);
        WindowRow back = WindowRowCodec.decode(bytes);
        assertEquals(row, back);
        assertEquals("dev-1", back.deviceId());
        assertEquals(60, back.windowSizeSeconds());
        assertEquals(0, back.windowEnd());
        assertEquals(-23.375, back.metricAvg(0));
        assertTrue(Double.isNaN(back.metricAvg(1)));
        assertTrue(Double.isNaN(back.metricMin(1)));
        assertTrue(Double.isNaN(back.position(Reading.LONGITUDE)));
        bytes[0] = 9;
        assertThrows(IllegalArgumentException.class, () -> WindowRowCodec.decode(bytes));
    }
}
