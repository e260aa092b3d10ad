package io.sensorrollup.bench;

import io.sensorrollup.source.Reading;
import io.sensorrollup.source.ReadingDecoder;
import io.sensorrollup.window.Accumulator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** ns per reading added to an accumulator (the four device kinds in turn). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AccumulateBench {

    private final Reading[] readings = new Reading[4];
    private final Accumulator accumulator = new Accumulator();

    @Setup
    public void decode() {
        ReadingDecoder decoder = new ReadingDecoder();
        byte[][] lines = SampleReadings.bytes();
        for (int i = 0; i < 4; i++) {
            readings[i] = new Reading();
            decoder.decode(lines[i], 0, lines[i].length, readings[i]);
        }
    }

    @Benchmark
    @OperationsPerInvocation(4)
    public long add() {
        for (Reading r : readings) {
            accumulator.add(r, 1);
        }
        return accumulator.messageCount();
    }
}
