package io.sensorrollup.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sensorrollup.source.Reading;
import io.sensorrollup.source.ReadingDecoder;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** ns per decoded reading: the engine's decoder, and a bare Jackson token walk for comparison. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecodeBench {

    private final byte[][] lines = SampleReadings.bytes();
    private final ReadingDecoder decoder = new ReadingDecoder();
    private final Reading reading = new Reading();
    private final JsonFactory jackson = new JsonFactory();

    @Benchmark
    @OperationsPerInvocation(4)
    public long decode() {
        long sum = 0;
        for (byte[] line : lines) {
            if (decoder.decode(line, 0, line.length, reading) != null) {
                throw new IllegalStateException();
            }
            sum += reading.timestamp() + reading.metricsPresent();
        }
        return sum;
    }

    /** Only tokenizes and converts numbers: a lower bound for a Jackson streaming decoder. */
    @Benchmark
    @OperationsPerInvocation(4)
    public double jacksonTokens() throws IOException {
        double sum = 0;
        for (byte[] line : lines) {
            try (JsonParser p = jackson.createParser(line)) {
                JsonToken t;
                while ((t = p.nextToken()) != null) {
                    if (t == JsonToken.VALUE_NUMBER_FLOAT) {
                        sum += p.getDoubleValue();
                    } else if (t == JsonToken.VALUE_NUMBER_INT) {
                        sum += p.getLongValue();
                    } else if (t == JsonToken.VALUE_STRING) {
                        sum += p.getText().length();
                    }
                }
            }
        }
        return sum;
    }
}
