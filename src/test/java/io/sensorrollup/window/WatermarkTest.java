package io.sensorrollup.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WatermarkTest {

    @Test
    void maxTimestampMinusBoundAndNeverBackwards() {
        Watermark w = new Watermark(5_000, 30_000, 0);
        assertEquals(Long.MIN_VALUE, w.current());
        assertEquals(95_000, w.observe(100_000));
        assertEquals(95_000, w.observe(50_000));
        assertEquals(96_000, w.observe(101_000));
    }

    @Test
    void idleAdvanceRunsOnFromTheLastArrival() {
        Watermark w = new Watermark(5_000, 30_000, 1_000_000);
        assertFalse(w.advanceIdle(2_000_000), "no data yet: nothing to advance from");
        w.observe(100_000);
        w.arrived(1_000_000);
        assertFalse(w.advanceIdle(1_029_999));
        assertEquals(95_000, w.current());
        assertTrue(w.advanceIdle(1_030_000));
        assertEquals(125_000, w.current());
        w.arrived(1_040_000);
        assertFalse(w.advanceIdle(1_050_000));
        assertEquals(125_000, w.observe(110_000), "a reading never moves it back");
    }
}
