package io.sensorrollup.window;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        a.add(r, 1);
        r.clear();
        r.deviceId("d").timestamp(-9_000).metadata("other", "other", "other").metric(0, -25.25).metric(2, 1013.5)
                .counter(1, 1);
        a.add(r, 2);
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
        assertEquals(AccumulatorCodec.FORMAT_2, bytes[0]);
        Accumulator b = AccumulatorCodec.decode(bytes);
        assertArrayEquals(bytes, AccumulatorCodec.encode(b));
        assertEquals(1, b.version());
        assertEquals(1, AccumulatorCodec.version(bytes));
        assertEquals(1, b.firstArrival());
        assertFalse(b.direct());
        assertFalse(AccumulatorCodec.direct(bytes));
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
    void formatOneReadsBackAsADirectWindow() {
        byte[] two = AccumulatorCodec.encode(sample());
        // format 1: the format byte, then the body format 2 keeps after its flags and first arrival
        byte[] one = new byte[two.length - 2];
        one[0] = AccumulatorCodec.FORMAT_1;
        System.arraycopy(two, 3, one, 1, two.length - 3);
        Accumulator a = AccumulatorCodec.decode(one);
        assertTrue(a.direct());
        assertTrue(AccumulatorCodec.direct(one));
        assertEquals(1, AccumulatorCodec.version(one));
        assertEquals(0, a.firstArrival());
        assertEquals(-46.75, a.metricSum(0));
        assertEquals("freezer-probe", a.deviceType());
        byte[] again = AccumulatorCodec.encode(a);
        assertEquals(AccumulatorCodec.FORMAT_2, again[0]);
        assertTrue(AccumulatorCodec.direct(again), "a direct window stays direct");
    }

    @Test
    void aMergeIsTheSameAsAddingTheReadings() {
        Reading r = new Reading();
        Accumulator all = new Accumulator();
        Accumulator early = new Accumulator();
        Accumulator late = new Accumulator();
        r.deviceId("d").timestamp(120_000).metadata("second", "c", null).metric(1, 3.0).counter(2, 7);
        all.add(r, 1);
        late.add(r, 1);
        r.clear();
        r.deviceId("d").timestamp(30_000).metadata("first", null, "s").position(Reading.LATITUDE, 1.5).metric(1, -4.0)
                .metric(3, 9.0).motionDetected(true);
        all.add(r, 2);
        early.add(r, 2);
        Accumulator merged = new Accumulator();
        merged.merge(early);
        merged.merge(new Accumulator());
        merged.merge(late);
        assertArrayEquals(AccumulatorCodec.encode(all), AccumulatorCodec.encode(merged));
        assertEquals("second", merged.deviceType(), "metadata of the lower arrival, though merged last");
        assertFalse(merged.hasPosition(Reading.LATITUDE));
        assertEquals(30_000, merged.firstEventTime());
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
