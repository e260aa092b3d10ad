package io.sensorrollup.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The console's 15 minutes of overview: totals summed over partitions, split by store and by reason, the oldest dropped. */
class MetricsHistoryTest {

    @Test
    void samplesSumThePartitionsSplitByStoreAndReasonAndKeepFifteenMinutes() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicLong now = new AtomicLong(1_000_000);
        MetricsHistory history = new MetricsHistory(registry, now::get);
        Counter.builder("rollup.readings.received").tag("partition", "0").register(registry).increment(10);
        Counter.builder("rollup.readings.received").tag("partition", "1").register(registry).increment(5);
        Counter.builder("rollup.sink.rows.written").tag("sink", "clickhouse").register(registry).increment(3);
        Counter.builder("rollup.sink.rows.written").tag("sink", "postgresql").register(registry).increment(2);
        Counter.builder("rollup.readings.rejected").tags("partition", "0", "reason", "late").register(registry).increment(4);
        Counter.builder("rollup.readings.rejected").tags("partition", "1", "reason", "late").register(registry).increment(1);
        Counter.builder("rollup.readings.rejected").tags("partition", "1", "reason", "json").register(registry).increment(2);
        Gauge.builder("rollup.outbox.rows", () -> 7).tag("partition", "0").register(registry);
        Gauge.builder("rollup.outbox.rows", () -> Double.NaN).tag("partition", "1").register(registry); // not sampled yet

        history.sample();

        MetricsHistory.Sample sample = history.samples().get(0);
        assertEquals(Instant.ofEpochMilli(1_000_000), sample.time());
        assertEquals(15, sample.received());
        assertEquals(Map.of("clickhouse", 3.0, "postgresql", 2.0), sample.written());
        assertEquals(Map.of("late", 5.0, "json", 2.0), sample.rejected());
        assertEquals(7, sample.outbox());
        assertEquals(0, sample.backlog());

        for (int i = 1; i <= MetricsHistory.KEPT; i++) {
            now.addAndGet(MetricsHistory.EVERY_SECONDS * 1000L);
            history.sample();
        }
        assertEquals(MetricsHistory.KEPT, history.samples().size());
        assertEquals(Instant.ofEpochMilli(1_000_000 + MetricsHistory.EVERY_SECONDS * 1000L), history.samples().get(0).time());
    }
}
