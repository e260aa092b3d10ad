package io.sensorrollup.sink;

import io.sensorrollup.partition.PartitionTask;
import io.sensorrollup.state.OutboxEntry;
import io.sensorrollup.state.PartitionProcessor;
import io.sensorrollup.window.WindowRow;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Writes one owned partition's outbox: the oldest rows, one batch at a time, to every sink, and deletes
 * them from the outbox once all sinks have stored them. A batch that failed because a store is unavailable
 * is retried as it was (only to the sinks that did not store it) after a capped exponential pause.
 *
 * <p>A row a store refuses for its content ({@link RowSink#refusesContent}) is set aside ({@link RefusalIsolation}),
 * reported ({@link RefusedRows}) and retried with the same capped pause, while the rows after it go on to every
 * store. The outbox is deleted only up to just before the oldest refused row, so nothing is lost: after a restart
 * or a hand-over the rows from there are written again, which the stores take as a replay. While refused rows
 * wait, the outbox fills; past {@code rollup.sink.max-outbox} the partition's source waits, as during an outage.
 *
 * <p>{@link #poll} runs on one timer thread; the fields it shares with the completion of a write are
 * handed over by {@link #inFlight}.
 */
final class PartitionDrain {

    private static final System.Logger LOG = System.getLogger(PartitionDrain.class.getName());
    /** Beyond this many refused rows (one sink, this partition) no new batch is read: they are retried alone. */
    static final int MAX_REFUSED = 1_000;

    private final PartitionTask task;
    private final List<RowSink> sinks;
    private final DrainPolicy policy;
    private final RefusedRows.Ledger refused;
    private final AtomicBoolean inFlight = new AtomicBoolean();

    private List<OutboxEntry> batch;
    private final Set<RowSink> stored = ConcurrentHashMap.newKeySet();
    /** Every row up to this seq was stored by every sink, or refused by one for its content. */
    private long takenThrough = -1;
    private long confirmedThrough = -1;
    /** Rows taken that are still in the outbox: those after the oldest refused one. */
    private long takenUnconfirmed;
    private long waitingSince = -1;
    private int failures;
    private long retryAt;
    private int refusedAttempts;
    private long refusedRetryAt;

    PartitionDrain(PartitionTask task, List<RowSink> sinks, DrainPolicy policy, RefusedRows refusedRows) {
        this.task = task;
        this.sinks = sinks;
        this.policy = policy;
        this.refused = refusedRows.open(task.partition());
    }

    boolean idle() {
        return !inFlight.get() && batch == null && task.outboxRows() == 0;
    }

    /** The partition moved away: its refused rows are its next owner's to report. */
    void close() {
        refused.close();
    }

    void poll(long nowNanos) {
        if (inFlight.get()) {
            return;
        }
        if (batch != null) {
            if (nowNanos - retryAt >= 0) {
                run(writeBatch(nowNanos), error -> failed(nowNanos, error));
            }
        } else if (refused.total() > 0 && nowNanos - refusedRetryAt >= 0) {
            run(retryRefused(nowNanos), error -> retriedRefused(nowNanos, error));
        } else if (!tooManyRefused() && due(nowNanos)) {
            run(task.withProcessor(p -> p.readOutbox(takenThrough, policy.batchSize())).thenCompose(read -> {
                batch = read;
                stored.clear();
                return writeBatch(nowNanos);
            }), error -> failed(nowNanos, error));
        }
    }

    private void run(CompletionStage<Void> work, Consumer<Throwable> onFailure) {
        inFlight.set(true);
        work.whenComplete((ignored, error) -> {
            if (error != null) {
                onFailure.accept(error);
            }
            inFlight.set(false);
        });
    }

    private boolean tooManyRefused() {
        return sinks.stream().anyMatch(s -> refused.count(s.name()) >= MAX_REFUSED);
    }

    /** A full batch of rows not yet taken is waiting, or some have waited {@code maxDelay}. */
    private boolean due(long nowNanos) {
        long rows = task.outboxRows() - takenUnconfirmed;
        if (rows <= 0) {
            waitingSince = -1;
            return false;
        }
        if (waitingSince < 0) {
            waitingSince = nowNanos;
        }
        return rows >= policy.batchSize() || nowNanos - waitingSince >= policy.maxDelay().toNanos();
    }

    private CompletionStage<Void> writeBatch(long nowNanos) {
        List<OutboxEntry> entries = batch;
        if (entries.isEmpty()) {
            batch = null;
            return CompletableFuture.completedFuture(null);
        }
        List<WindowRow> rows = decode(entries);
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (RowSink sink : sinks) {
            if (!stored.contains(sink)) {
                writes.add(RefusalIsolation.write(sink, task.partition(), entries, rows).toCompletableFuture()
                        .thenAccept(refusals -> {
                            refusals.forEach(refused::refused);
                            stored.add(sink);
                        }));
            }
        }
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).thenCompose(allStored -> {
            if (failures > 0) {
                LOG.log(Level.INFO, "Partition {0}: sinks take rows again after {1} failed attempts", task.partition(), failures);
            }
            failures = 0;
            if (refusedAttempts == 0 && refused.total() > 0) { // newly refused: the first retry after the first pause
                refusedAttempts = 1;
                refusedRetryAt = nowNanos + policy.retryAfter(1).toNanos();
            }
            takenThrough = entries.get(entries.size() - 1).seq();
            takenUnconfirmed += entries.size();
            batch = null;
            waitingSince = -1;
            return confirm();
        });
    }

    /** Writes each sink's refused rows again, read back from the outbox (where they wait), isolating those still refused. */
    private CompletionStage<Void> retryRefused(long nowNanos) {
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (RowSink sink : sinks) {
            List<Refusal> waiting = refused.of(sink.name());
            if (waiting.isEmpty()) {
                continue;
            }
            int attempts = refusedAttempts + 1;
            writes.add(task.withProcessor(p -> reread(p, waiting)).thenCompose(entries ->
                    RefusalIsolation.write(sink, task.partition(), entries, decode(entries)).thenAccept(still -> {
                        Set<Long> refusedNow = ConcurrentHashMap.newKeySet();
                        still.forEach(r -> {
                            refusedNow.add(r.seq());
                            refused.refused(r);
                        });
                        entries.stream().filter(e -> !refusedNow.contains(e.seq()))
                                .forEach(e -> refused.stored(sink.name(), e.seq(), attempts));
                        if (!still.isEmpty() && Integer.bitCount(attempts) == 1) {
                            LOG.log(Level.WARNING, "Partition {0}: {1} still refuses {2} row(s) after {3} attempts, the"
                                    + " oldest: {4}", task.partition(), sink.name(), still.size(), attempts, still.get(0));
                        }
                    })).toCompletableFuture());
        }
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).thenCompose(ok -> {
            retriedRefused(nowNanos, null);
            return confirm();
        });
    }

    /** After a retry of the refused rows: the pause before the next, doubled while some stay refused or a store is down. */
    private void retriedRefused(long nowNanos, Throwable error) {
        refusedAttempts = refused.total() == 0 ? 0 : refusedAttempts + 1;
        if (refusedAttempts > 0) {
            refusedRetryAt = nowNanos + policy.retryAfter(refusedAttempts).toNanos();
        }
        if (error != null && Integer.bitCount(refusedAttempts) == 1) {
            LOG.log(Level.WARNING, "Partition {0}: retrying the refused rows failed (attempt {1}): {2}", task.partition(),
                    refusedAttempts, Failures.rootMessage(error));
        }
    }

    private static List<OutboxEntry> reread(PartitionProcessor p, List<Refusal> waiting) {
        List<OutboxEntry> entries = new ArrayList<>(waiting.size());
        for (Refusal r : waiting) {
            List<OutboxEntry> at = p.readOutbox(r.seq() - 1, 1);
            if (at.isEmpty() || at.get(0).seq() != r.seq()) { // never deleted before stored: a bug if it happens
                throw new IllegalStateException("refused row " + r + " is no longer in the outbox");
            }
            entries.add(at.get(0));
        }
        return entries;
    }

    /** Deletes the outbox up to the oldest refused row, or through every row taken when none is refused. */
    private CompletionStage<Void> confirm() {
        long through = Math.min(takenThrough, refused.firstSeq() - 1);
        if (through <= confirmedThrough) {
            return CompletableFuture.completedFuture(null);
        }
        return task.confirmWritten(through).thenRun(() -> {
            confirmedThrough = through;
            takenUnconfirmed = takenThrough - through;
        });
    }

    private static List<WindowRow> decode(List<OutboxEntry> entries) {
        List<WindowRow> rows = new ArrayList<>(entries.size());
        for (OutboxEntry entry : entries) {
            rows.add(entry.row());
        }
        return rows;
    }

    private void failed(long nowNanos, Throwable error) {
        failures++;
        var pause = policy.retryAfter(failures);
        retryAt = nowNanos + pause.toNanos();
        // once per doubling: an outage of an hour logs a dozen lines, not thousands
        if (Integer.bitCount(failures) == 1) {
            LOG.log(Level.WARNING, "Partition {0}: writing {1} rows failed (attempt {2}), retrying in {3} ms: {4}",
                    task.partition(), batch == null ? 0 : batch.size(), failures, pause.toMillis(), Failures.rootMessage(error));
        }
    }
}
