package io.sensorrollup.state;

import io.sensorrollup.window.WindowRow;
import io.sensorrollup.window.WindowRowCodec;
import io.sensorrollup.window.WindowSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rows as the real engine emits them, for tests and benchmarks of the sinks: {@link TestReadings} (the
 * generator's device kinds, absent metrics and metadata, negative values) through a {@link PartitionProcessor}.
 */
public final class EngineRows {

    private static final long FAR_FUTURE = 10L * 24 * 3600 * 1000;

    private EngineRows() {
    }

    /**
     * Every row emitted for {@code readings} generated readings over {@code devices} devices, one every
     * {@code stepMillis} of event time, arriving shuffled within {@code jitterMillis}, in emission order; the
     * last windows are closed by an idle advance. Jitter beyond the default 5 s out-of-orderness with some
     * {@code allowedLateness} yields late updates ({@code version} 2 and more) after their first emission.
     */
    public static List<WindowRow> emitted(long seed, int readings, int devices, long stepMillis, long jitterMillis,
            EngineConfig config) {
        List<TestReadings.Msg> msgs = TestReadings.generate(seed, readings, devices, stepMillis, jitterMillis, 0);
        AtomicLong clock = new AtomicLong(1_000_000);
        Path dir;
        try {
            dir = Files.createTempDirectory("engine-rows");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (StateResources resources = StateResources.create(32L << 20, 16L << 20);
                PartitionProcessor p = PartitionProcessor.open(dir.resolve("state"), config, resources, clock::get)) {
            TestReadings.feed(p, msgs, 0, msgs.size(), new Random(seed), 500, null);
            p.advanceIdle(clock.addAndGet(FAR_FUTURE));
            return TestReadings.drain(p).stream().map(WindowRowCodec::decode).toList();
        } finally {
            try {
                Directories.deleteRecursively(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A row's columns by CONTRACT §3 name: NULL as null, times as epoch millis, window_size_s as a long. */
    public static Map<String, Object> columns(WindowRow row) {
        return ReferenceAggregator.actualColumns(row);
    }

    /** {@link EngineConfig#defaults} with these sizes and allowed lateness. */
    public static EngineConfig config(String windows, Duration allowedLateness) {
        return EngineConfig.defaults(WindowSpec.parse(windows)).withAllowedLateness(allowedLateness);
    }
}
