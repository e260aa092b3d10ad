package io.sensorrollup.sink;

import io.sensorrollup.window.WindowRow;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A sink that keeps what it was given, and can be told to fail its next writes (a store outage). */
final class RecordingSink implements RowSink {

    final List<WindowRow> rows = new CopyOnWriteArrayList<>();
    final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger failuresLeft = new AtomicInteger();
    private final String name;

    RecordingSink(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletionStage<Void> write(List<WindowRow> batch) {
        writes.incrementAndGet();
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return CompletableFuture.failedFuture(new java.io.IOException(name + " is down"));
        }
        rows.addAll(batch);
        return CompletableFuture.completedFuture(null);
    }
}
