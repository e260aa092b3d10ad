package io.sensorrollup.sink;

import io.sensorrollup.checkpoint.PartitionTask;
import io.sensorrollup.state.OutboxEntry;
import io.sensorrollup.window.WindowRow;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes one owned partition's outbox: the oldest rows, one batch at a time, to every sink, and deletes
 * them from the outbox once all sinks have stored them. A batch that failed is retried as it was
 * (only to the sinks that did not store it) after a capped exponential pause.
 *
 * <p>{@link #poll} runs on one timer thread; the fields it shares with the completion of a write are
 * handed over by {@link #inFlight}.
 */
final class PartitionDrain {

    private static final System.Logger LOG = System.getLogger(PartitionDrain.class.getName());

    private final PartitionTask task;
    private final List<RowSink> sinks;
    private final DrainPolicy policy;
    private final AtomicBoolean inFlight = new AtomicBoolean();

    private List<OutboxEntry> batch;
    private final Set<RowSink> stored = new HashSet<>();
    private long waitingSince = -1;
    private int failures;
    private long retryAt;

    PartitionDrain(PartitionTask task, List<RowSink> sinks, DrainPolicy policy) {
        this.task = task;
        this.sinks = sinks;
        this.policy = policy;
    }

    boolean idle() {
        return !inFlight.get() && batch == null && task.outboxRows() == 0;
    }

    void poll(long nowNanos) {
        if (inFlight.get() || nowNanos - retryAt < 0) {
            return;
        }
        if (batch == null && !due(nowNanos)) {
            return;
        }
        inFlight.set(true);
        CompletionStage<List<OutboxEntry>> rows = batch != null
                ? CompletableFuture.completedFuture(batch)
                : task.oldestUnconfirmed(policy.batchSize()).thenApply(read -> {
                    batch = read;
                    stored.clear();
                    return read;
                });
        rows.thenCompose(this::write)
                .whenComplete((ignored, error) -> {
                    if (error == null) {
                        written(nowNanos);
                    } else {
                        failed(nowNanos, error);
                    }
                    inFlight.set(false);
                });
    }

    /** A full batch is waiting, or some rows have waited {@code maxDelay}. */
    private boolean due(long nowNanos) {
        long rows = task.outboxRows();
        if (rows == 0) {
            waitingSince = -1;
            return false;
        }
        if (waitingSince < 0) {
            waitingSince = nowNanos;
        }
        return rows >= policy.batchSize() || nowNanos - waitingSince >= policy.maxDelay().toNanos();
    }

    private CompletionStage<Void> write(List<OutboxEntry> entries) {
        if (entries.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<WindowRow> rows = new ArrayList<>(entries.size());
        for (OutboxEntry entry : entries) {
            rows.add(entry.row());
        }
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (RowSink sink : sinks) {
            if (!stored.contains(sink)) {
                writes.add(sink.write(rows).toCompletableFuture().thenRun(() -> {
                    synchronized (stored) {
                        stored.add(sink);
                    }
                }));
            }
        }
        long lastSeq = entries.get(entries.size() - 1).seq();
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
                .thenCompose(allStored -> task.confirmWritten(lastSeq));
    }

    private void written(long nowNanos) {
        if (failures > 0) {
            LOG.log(Level.INFO, "Partition {0}: sinks take rows again after {1} failed attempts", task.partition(), failures);
        }
        batch = null;
        failures = 0;
        waitingSince = task.outboxRows() > 0 ? nowNanos : -1;
    }

    private void failed(long nowNanos, Throwable error) {
        failures++;
        var pause = policy.retryAfter(failures);
        retryAt = nowNanos + pause.toNanos();
        // once per doubling: an outage of an hour logs a dozen lines, not thousands
        if (Integer.bitCount(failures) == 1) {
            LOG.log(Level.WARNING, "Partition {0}: writing {1} rows failed (attempt {2}), retrying in {3} ms: {4}",
                    task.partition(), batch == null ? 0 : batch.size(), failures, pause.toMillis(), rootMessage(error));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
