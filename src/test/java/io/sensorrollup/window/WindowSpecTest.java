package io.sensorrollup.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WindowSpecTest {

    @Test
    void parsesUnitsAndKeepsOrder() {
        WindowSpec spec = WindowSpec.parse("1m, 5m,1h,30s,1d");
        assertEquals(5, spec.count());
        assertEquals(60_000, spec.sizeMillis(0));
        assertEquals(300_000, spec.sizeMillis(1));
        assertEquals(3_600_000, spec.sizeMillis(2));
        assertEquals(30_000, spec.sizeMillis(3));
        assertEquals(86_400_000, spec.sizeMillis(4));
        assertEquals("1m,5m,1h,30s,1d", spec.toString());
        assertEquals(spec, WindowSpec.parse(spec.toString()));
        assertEquals("90s", WindowSpec.parse("90s").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0m", "-1m", "1", "m", "1x", "1.5m", "1m,,5m", "1m,1m", "60s,1m", "999999d", " ", "1 m"})
    void rejectsBadValuesNamingThem(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WindowSpec.parse(text));
        assertTrue(e.getMessage().startsWith("window size"), e.getMessage());
    }

    @Test
    void windowsAlignToTheEpochAlsoBeforeIt() {
        WindowSpec spec = WindowSpec.parse("1m");
        assertEquals(60_000, spec.startOf(60_000, 0));
        assertEquals(60_000, spec.startOf(119_999, 0));
        assertEquals(-60_000, spec.startOf(-1, 0));
        assertEquals(0, spec.startOf(0, 0));
    }

    @Test
    void aLongerSizeIsFilledFromTheLongestListedSizeThatDividesIt() {
        WindowSpec spec = WindowSpec.parse("1h,1m,5m,90s,7m");
        assertEquals(2, spec.sourceOf(0), "1h from 5m, not from 1m");
        assertEquals(-1, spec.sourceOf(1), "1m from the readings");
        assertEquals(1, spec.sourceOf(2), "5m from 1m");
        assertEquals(-1, spec.sourceOf(3), "90s: no listed size divides it");
        assertEquals(1, spec.sourceOf(4), "7m from 1m");
        assertEquals(-1, WindowSpec.parse("1m").sourceOf(0));
    }
}
