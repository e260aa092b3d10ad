package io.sensorrollup.source.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorrollup.source.Reading;
import io.sensorrollup.source.ReadingDecoder;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The simulator speaks the contract's format with the generator's variety, and is reproducible. */
class SimulatedFleetTest {

    private static final long NOW = 1767225600000L;

    private final ReadingDecoder decoder = new ReadingDecoder();
    private final Reading reading = new Reading();

    @Test
    void everyReadingDecodesWithTheDeviceKindsAbsentMetricsAndFreezersBelowZero() {
        SimulatedFleet fleet = new SimulatedFleet(SimulatedFleet.Options.of(40));
        Set<String> types = new HashSet<>();
        int temperature = index("temperature");
        int pressure = index("pressure");
        for (int i = 0; i < 20_000; i++) {
            SimulatedFleet.Message m = fleet.next(NOW + i);
            assertNull(decoder.decode(m.payload(), 0, m.payload().length, reading), new String(m.payload()));
            assertEquals(m.key(), reading.deviceId(), "keyed by device_id");
            assertEquals(NOW + i, reading.timestamp());
            types.add(reading.deviceType());
            switch (reading.deviceType()) {
                case "freezer-probe" -> assertTrue(reading.metric(temperature) < 0 && !reading.hasMetric(pressure));
                case "co2-monitor" -> assertFalse(reading.hasMetric(pressure));
                case "motion-sensor" -> assertFalse(reading.hasMetric(temperature));
                case "env-sensor" -> assertTrue(reading.hasMetric(pressure));
                default -> throw new AssertionError(reading.deviceType());
            }
            double latitude = reading.position(Reading.LATITUDE);
            assertTrue(latitude >= -60 && latitude <= 60 && reading.hasPosition(Reading.ALTITUDE), new String(m.payload()));
            for (int metric = 0; metric < Reading.METRIC_COUNT; metric++) {
                double scaled = reading.metric(metric) * 1000;
                assertTrue(!reading.hasMetric(metric) || Math.abs(scaled - Math.rint(scaled)) < 1e-6, "3 decimals at most");
            }
        }
        assertEquals(Set.of("env-sensor", "co2-monitor", "freezer-probe", "motion-sensor"), types);
    }

    @Test
    void theSameSeedAndClockGiveTheSameBytes() {
        SimulatedFleet a = new SimulatedFleet(new SimulatedFleet.Options(50, 7, 2_000, 0.01, 600_000, 0.01));
        SimulatedFleet b = new SimulatedFleet(new SimulatedFleet.Options(50, 7, 2_000, 0.01, 600_000, 0.01));
        for (int i = 0; i < 5_000; i++) {
            assertArrayEquals(a.next(NOW + i).payload(), b.next(NOW + i).payload());
        }
    }

    @Test
    void jitterStaysWithinItsBoundLateOnesAreLateAndMalformedOnesAreRejectedForEveryReason() {
        SimulatedFleet fleet = new SimulatedFleet(new SimulatedFleet.Options(100, 3, 2_000, 0.05, 600_000, 0.05));
        Set<String> reasons = new TreeSet<>();
        int late = 0;
        int future = 0;
        for (int i = 0; i < 20_000; i++) {
            SimulatedFleet.Message m = fleet.next(NOW);
            String reason = decoder.decode(m.payload(), 0, m.payload().length, reading);
            if (reason != null) {
                reasons.add(reason.replaceAll(":.*", ""));
                continue;
            }
            long behind = NOW - reading.timestamp();
            if (behind == -SimulatedFleet.FUTURE_MILLIS || reading.timestamp() == 253402300799999L) {
                future++; // the engine rejects these: more than max-future-skew after their publish time
                continue;
            }
            if (behind >= 600_000) {
                late++;
                assertTrue(behind <= 602_000, "late by the late offset plus jitter: " + behind);
            } else {
                assertTrue(behind >= 0 && behind <= 2_000, "jitter within 2 s: " + behind);
            }
        }
        assertEquals(Set.of("not-json", "missing-device-id", "empty-device-id", "missing-timestamp", "bad-timestamp",
                "wrong-type", "not-finite", "not-an-object", "before-epoch", "invalid-string"), reasons);
        assertTrue(future > 100, "a year-9999 and a two-hours-ahead reading among the malformed kinds: " + future);
        assertTrue(late > 700 && late < 1_300, "about 5 % late: " + late);
    }

    private static int index(String metric) {
        for (int m = 0; m < Reading.METRIC_COUNT; m++) {
            if (Reading.METRICS[m].equals(metric)) {
                return m;
            }
        }
        throw new IllegalArgumentException(metric);
    }
}
