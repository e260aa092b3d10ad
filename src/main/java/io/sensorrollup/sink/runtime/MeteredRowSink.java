package io.sensorrollup.sink.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sensorrollup.sink.ForwardingRowSink;
import io.sensorrollup.sink.RowSink;
import io.sensorrollup.window.WindowRow;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Counts what a sink stores: rows, batches, failed writes (each is retried, or split when refused for its content) and write latency. */
final class MeteredRowSink extends ForwardingRowSink {

    private final Counter rows;
    private final Counter batches;
    private final Counter retries;
    private final Timer latency;

    MeteredRowSink(RowSink sink, MeterRegistry registry) {
        super(sink);
        String name = sink.name();
        this.rows = Counter.builder("rollup.sink.rows.written").tag("sink", name)
                .description("Rows the sink confirmed").register(registry);
        this.batches = Counter.builder("rollup.sink.batches").tag("sink", name)
                .description("Batches the sink confirmed").register(registry);
        this.retries = Counter.builder("rollup.sink.retries").tag("sink", name)
                .description("Failed writes (each is retried)").register(registry);
        this.latency = Timer.builder("rollup.sink.write").tag("sink", name).publishPercentileHistogram()
                .description("Time from sending a batch to its confirmation").register(registry);
    }

    @Override
    public CompletionStage<Void> write(List<WindowRow> batch) {
        long start = System.nanoTime();
        CompletionStage<Void> written;
        try {
            written = sink.write(batch);
        } catch (RuntimeException e) { // a client that fails before it sends is a failed write too
            written = CompletableFuture.failedFuture(e);
        }
        return written.whenComplete((ok, error) -> {
            if (error == null) {
                latency.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
                rows.increment(batch.size());
                batches.increment();
            } else {
                retries.increment();
            }
        });
    }
}
