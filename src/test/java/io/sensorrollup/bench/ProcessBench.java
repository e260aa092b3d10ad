package io.sensorrollup.bench;

import io.sensorrollup.source.RawBatch;
import io.sensorrollup.state.EngineConfig;
import io.sensorrollup.state.PartitionProcessor;
import io.sensorrollup.state.StateResources;
import io.sensorrollup.window.WindowSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ns per reading through PartitionProcessor.process (decode, window, cached state), 1000 readings of 500
 * devices per batch, event time advancing 1 ms per reading so 1m windows close as they would in production.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProcessBench {

    private static final int BATCH = 1000;
    private StateResources resources;
    private PartitionProcessor processor;
    private Path dir;
    private final RawBatch batch = new RawBatch(BATCH);
    private final byte[][] payloads = new byte[BATCH][];
    private final int[] timestampAt = new int[BATCH];
    private final byte[] position = new byte[8];
    private long ts = 1767225600000L;

    @Setup(Level.Trial)
    public void open() throws IOException {
        String[] lines = SampleReadings.LINES;
        for (int i = 0; i < BATCH; i++) {
            String line = lines[i & 3].replace("sensor_00", "sensor_" + (i % 500 + 100));
            payloads[i] = line.getBytes(StandardCharsets.UTF_8);
            timestampAt[i] = line.indexOf("1767225600000");
        }
        dir = Files.createTempDirectory("process-bench");
        resources = StateResources.createDefault();
        processor = PartitionProcessor.open(dir.resolve("state"), EngineConfig.defaults(WindowSpec.parse("1m")),
                resources, System::currentTimeMillis);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        processor.close();
        resources.close();
        EngineBench.deleteRecursively(dir);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int process() {
        batch.clear();
        for (int i = 0; i < BATCH; i++) {
            // 13 digits rewritten in place: the event time advances 1 ms per reading
            long v = ts++;
            byte[] b = payloads[i];
            for (int d = timestampAt[i] + 12; d >= timestampAt[i]; d--) {
                b[d] = (byte) ('0' + v % 10);
                v /= 10;
            }
            batch.add(b, position, 0);
        }
        int emitted = processor.process(batch).emitted();
        if (emitted > 0) {
            var rows = processor.readOutbox(-1, 100_000);
            processor.deleteOutboxThrough(rows.get(rows.size() - 1).seq());
        }
        return emitted;
    }
}
