package io.sensorrollup.sink;

import io.sensorrollup.window.WindowRow;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A sink that keeps what it was given, and can be told to fail its next writes (a store outage) or to refuse every
 * write that holds a given row (a value the store cannot take: the whole batch fails, as a database statement does).
 */
final class RecordingSink implements RowSink {

    /** What the store says when it refuses a row for its content. */
    static final class RefusedException extends RuntimeException {
        RefusedException(String message) {
            super(message);
        }
    }

    final List<WindowRow> rows = new CopyOnWriteArrayList<>();
    final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger failuresLeft = new AtomicInteger();
    volatile Predicate<WindowRow> refuses = row -> false;
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
        for (WindowRow row : batch) {
            if (refuses.test(row)) {
                return CompletableFuture.failedFuture(new RefusedException("invalid byte sequence in " + row.deviceId()));
            }
        }
        rows.addAll(batch);
        return CompletableFuture.completedFuture(null);
    }

    public boolean refusesContent(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RefusedException) {
                return true;
            }
        }
        return false;
    }
}
