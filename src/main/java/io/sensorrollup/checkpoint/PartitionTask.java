package io.sensorrollup.checkpoint;

import io.sensorrollup.source.RawBatch;
import io.sensorrollup.state.BatchResult;
import io.sensorrollup.state.Directories;
import io.sensorrollup.state.OutboxEntry;
import io.sensorrollup.state.PartitionProcessor;
import io.sensorrollup.state.Rejected;
import io.sensorrollup.state.Snapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One partition this pod owns: restored from its newest checkpoint, fed batch after batch on its
 * serial queue, and checkpointed on its own. A checkpoint takes a consistent snapshot between two
 * batches, then, off the queue, flushes the dead letters, uploads the snapshot, commits the manifest
 * and only then acknowledges the source up to the snapshot's position (CONTRACT §4).
 *
 * <p>Messages at or before the last processed position are dropped: after a restore Pulsar
 * redelivers from its cursor, which may lag the checkpoint by one acknowledgement.
 */
public final class PartitionTask {

    private static final System.Logger LOG = System.getLogger(PartitionTask.class.getName());
    private static final int MAX_FENCE_ATTEMPTS = 5;
    private static final Duration SAVEPOINT_WAIT = Duration.ofSeconds(60);

    private final int partition;
    private final PartitionRuntime runtime;
    private final SerialExecutor serial;
    private volatile PartitionCheckpointer checkpointer;
    private final Consumer<PartitionTask> onLost;
    private final Path db;
    private final Path lastCheckpoint;
    private final Path snapshots;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean checkpointing = new AtomicBoolean();
    private final CompletableFuture<Void> restored = new CompletableFuture<>();
    private volatile boolean dropped;
    private volatile long outboxRows;
    /** Done while the outbox is within its limit; while it is over, the source waits on it. */
    private final AtomicReference<CompletableFuture<Void>> outboxRoom =
            new AtomicReference<>(CompletableFuture.completedFuture(null));

    // touched on the serial queue only
    private PartitionProcessor processor;
    private byte[] committedPosition;
    private long committedWatermark = Long.MIN_VALUE;
    private long snapshotSeq;
    private Optional<RestoredCheckpoint> restoredFrom = Optional.empty();

    /**
     * Starts restoring at once, on the partition's queue.
     *
     * @param onLost told when the partition turns out to be someone else's (a manifest conflict) or its
     *     state failed: the owner drops this task
     */
    PartitionTask(int partition, PartitionRuntime runtime, Consumer<PartitionTask> onLost) {
        this.partition = partition;
        this.runtime = runtime;
        this.serial = new SerialExecutor(runtime.compute());
        this.checkpointer = runtime.checkpoints().partition(partition);
        this.onLost = onLost;
        Path dir = runtime.stateDir().resolve("partition-" + partition);
        this.db = dir.resolve("db");
        this.lastCheckpoint = dir.resolve("checkpoint");
        this.snapshots = dir.resolve("snapshots");
        // listing, verifying and claiming the checkpoint wait on the store: every partition restores side by side
        serial.execute(this::restore, runtime.io());
    }

    public int partition() {
        return partition;
    }

    /** Completes when the partition's state is restored (or failed to be). */
    public CompletionStage<Void> restored() {
        return restored;
    }

    /**
     * Queues a batch. The returned stage completes at once while the queue is short and the outbox within
     * its limit; otherwise when this batch is processed, and the sink has made room in the outbox: the
     * source waits meanwhile (backpressure), so a slow or absent sink fills neither the heap nor the disk.
     */
    public CompletionStage<Void> submit(RawBatch batch) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        boolean waits = queued.incrementAndGet() > runtime.maxQueued();
        serial.execute(() -> {
            try {
                if (!dropped) {
                    process(batch);
                    updateOutboxRows();
                }
            } catch (RuntimeException e) {
                fail("processing a batch", e);
            } finally {
                queued.decrementAndGet();
                done.complete(null);
            }
        });
        CompletableFuture<Void> room = outboxRoom.get();
        if (waits) {
            return done.thenCompose(processed -> outboxRoom.get());
        }
        return room;
    }

    /** Rows waiting in the outbox for the sink, as of the last batch or confirmation. */
    public long outboxRows() {
        return outboxRows;
    }

    /** The oldest {@code max} rows of the outbox, read on the partition's queue. */
    public CompletionStage<List<OutboxEntry>> oldestUnconfirmed(int max) {
        return withProcessor(p -> p.readOutbox(-1, max));
    }

    /**
     * Deletes outbox rows through {@code seq}: every sink has stored them. Frees the source when the
     * outbox is back within its limit.
     */
    public CompletionStage<Void> confirmWritten(long seq) {
        return withProcessor(p -> {
            p.deleteOutboxThrough(seq);
            updateOutboxRows();
            return null;
        });
    }

    private void updateOutboxRows() {
        if (processor != null) {
            outboxRows = processor.outboxBacklog();
        }
        CompletableFuture<Void> room = outboxRoom.get();
        if (outboxRows > runtime.maxOutbox() && !dropped) {
            if (room.isDone()) {
                outboxRoom.compareAndSet(room, new CompletableFuture<>());
            }
        } else {
            room.complete(null);
        }
        if (dropped) {
            // drop() may have completed the previous future just before the swap above
            outboxRoom.get().complete(null);
        }
    }

    /** Lets the watermark advance on wall-clock time when the partition has been idle. */
    public void advanceIdle() {
        serial.execute(() -> {
            if (!dropped && processor != null) {
                processor.advanceIdle(runtime.wallClock().getAsLong());
                updateOutboxRows();
            }
        });
    }

    /**
     * Takes a checkpoint unless one is in flight or nothing changed since the last. Completes with
     * the committed checkpoint, or empty when none was needed.
     */
    public CompletionStage<Optional<CompletedCheckpoint>> checkpoint() {
        return take(Optional.empty());
    }

    /**
     * Takes a checkpoint now, kept as part of savepoint {@code name} until the savepoint is deleted.
     * Completes empty when the partition has processed nothing yet or a checkpoint is in flight.
     */
    public CompletionStage<Optional<CompletedCheckpoint>> savepoint(String name) {
        return take(Optional.of(name));
    }

    private CompletionStage<Optional<CompletedCheckpoint>> take(Optional<String> savepoint) {
        if (!checkpointing.compareAndSet(false, true)) {
            if (savepoint.isEmpty() || !awaitCheckpointSlot()) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
        }
        CompletableFuture<Optional<CompletedCheckpoint>> result = new CompletableFuture<>();
        serial.execute(() -> {
            Snapshot snapshot;
            try {
                snapshot = snapshotIfChanged(savepoint.isPresent());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Snapshot of partition " + partition + " failed; the next checkpoint retries", e);
                runtime.events().checkpointFailed(partition, e, Duration.ZERO);
                result.completeExceptionally(e);
                return;
            }
            if (snapshot == null) {
                result.complete(Optional.empty());
                return;
            }
            runtime.io().execute(() -> commit(snapshot, savepoint, result));
        });
        return result.whenComplete((ok, e) -> checkpointing.set(false));
    }

    /** A savepoint asked for while a checkpoint is in flight waits for it rather than being skipped. */
    private boolean awaitCheckpointSlot() {
        long deadline = System.nanoTime() + SAVEPOINT_WAIT.toNanos();
        while (!checkpointing.compareAndSet(false, true)) {
            if (System.nanoTime() > deadline || dropped) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Stops processing; queued batches are dropped, the local state is closed (another pod restores from the store). */
    public CompletionStage<Void> drop() {
        if (!dropped) {
            runtime.events().dropped(partition);
        }
        dropped = true;
        outboxRoom.get().complete(null);
        CompletableFuture<Void> closed = new CompletableFuture<>();
        serial.execute(() -> {
            if (processor != null) {
                processor.close();
                processor = null;
            }
            closed.complete(null);
        });
        return closed;
    }

    /** Runs {@code action} with the processor on the partition's queue (for the sink and the query API). */
    public <T> CompletionStage<T> withProcessor(Function<PartitionProcessor, T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        serial.execute(() -> {
            if (dropped || processor == null) {
                result.completeExceptionally(new IllegalStateException("partition " + partition + " is not owned here"));
                return;
            }
            try {
                result.complete(action.apply(processor));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private void restore() {
        long started = System.nanoTime();
        try {
            // snapshots left by a crash are not committed checkpoints
            Directories.deleteRecursively(snapshots);
            Files.createDirectories(snapshots);
            for (int attempt = 1; !restoreAndFence(); attempt++) {
                if (attempt == MAX_FENCE_ATTEMPTS) {
                    throw new IllegalStateException("another writer keeps committing checkpoints of partition " + partition);
                }
                checkpointer = runtime.checkpoints().partition(partition);
            }
            updateOutboxRows();
            runtime.events().restored(partition, restoredFrom, Duration.ofNanos(System.nanoTime() - started));
            restored.complete(null);
        } catch (IOException | RuntimeException e) {
            restored.completeExceptionally(e);
            fail("restoring", e);
        }
    }

    /**
     * Restores the newest checkpoint and at once commits it again as the next one. The previous owner
     * may still be uploading a checkpoint when Pulsar moves the partition here; this claim makes that
     * upload conflict instead of a later checkpoint of ours. False when the previous owner got there first.
     */
    private boolean restoreAndFence() throws IOException {
        Optional<RestoredCheckpoint> checkpoint = checkpointer.restore(lastCheckpoint);
        restoredFrom = checkpoint;
        if (checkpoint.isEmpty()) {
            // no checkpoint: nothing was acknowledged, so the source replays everything
            Directories.deleteRecursively(db);
            processor = PartitionProcessor.open(db, runtime.engine(), runtime.resources(), runtime.wallClock());
            return true;
        }
        processor = PartitionProcessor.restore(lastCheckpoint, db, runtime.engine(), runtime.resources(), runtime.wallClock());
        committedPosition = checkpoint.get().manifest().position();
        committedWatermark = checkpoint.get().manifest().watermark();
        Snapshot claim = processor.snapshot(snapshots.resolve("snapshot-" + (++snapshotSeq)));
        try {
            checkpointer.checkpoint(claim.dir(), claim.position(), claim.watermark());
            keepAsLastCheckpoint(claim.dir());
        } catch (CheckpointConflictException e) {
            LOG.log(Level.INFO, "Partition {0}: the previous owner committed a checkpoint meanwhile; restoring that one", partition);
            discard(claim.dir());
            processor.close();
            processor = null;
            return false;
        } catch (IOException e) {
            // the claim only narrows a race; the restored state stands without it
            LOG.log(Level.WARNING, "Partition " + partition + ": claiming the restored checkpoint failed; going on without", e);
            discard(claim.dir());
        }
        // the previous owner may have died between its manifest and its acknowledgement
        runtime.cursor().acknowledgeThrough(partition, committedPosition).exceptionally(e -> {
            LOG.log(Level.WARNING, "Partition {0}: acknowledging the restored position failed; the next checkpoint does", partition);
            return null;
        });
        return true;
    }

    private void process(RawBatch batch) {
        RawBatch fresh = withoutProcessed(batch);
        if (fresh.size() == 0) {
            return;
        }
        BatchResult result = processor.process(fresh);
        runtime.events().processed(partition, result);
        for (Rejected rejected : result.rejected()) {
            runtime.deadLetters().send(rejected.payload(), rejected.offset(), rejected.length(), rejected.reason(),
                    rejected.position());
        }
    }

    /** The part of the batch after the last processed position (positions grow within a partition). */
    private RawBatch withoutProcessed(RawBatch batch) {
        byte[] last = processor.position();
        if (last == null) {
            return batch;
        }
        int first = 0;
        while (first < batch.size() && runtime.cursor().compare(batch.position(first), last) <= 0) {
            first++;
        }
        if (first == 0) {
            return batch;
        }
        RawBatch rest = new RawBatch(batch.size() - first);
        for (int i = first; i < batch.size(); i++) {
            rest.add(batch.payload(i), batch.offset(i), batch.length(i), batch.position(i), batch.arrivalMillis(i),
                    batch.publishMillis(i));
        }
        return rest;
    }

    private Snapshot snapshotIfChanged(boolean evenIfUnchanged) {
        if (dropped || processor == null) {
            return null;
        }
        byte[] position = processor.position();
        if (position == null || (!evenIfUnchanged
                && Arrays.equals(position, committedPosition) && processor.watermark() == committedWatermark)) {
            return null;
        }
        return processor.snapshot(snapshots.resolve("snapshot-" + (++snapshotSeq)));
    }

    private void commit(Snapshot snapshot, Optional<String> savepoint,
            CompletableFuture<Optional<CompletedCheckpoint>> result) {
        long started = System.nanoTime();
        try {
            // dead letters first: once the manifest commits, a restore skips their source messages
            runtime.deadLetters().flush().toCompletableFuture().join();
            CompletedCheckpoint completed = savepoint.isPresent()
                    ? checkpointer.savepoint(savepoint.get(), snapshot.dir(), snapshot.position(), snapshot.watermark())
                    : checkpointer.checkpoint(snapshot.dir(), snapshot.position(), snapshot.watermark());
            serial.execute(() -> {
                committedPosition = snapshot.position();
                committedWatermark = snapshot.watermark();
            });
            keepAsLastCheckpoint(snapshot.dir());
            CrashPoint.beforeAck(partition, completed.checkpointId());
            runtime.cursor().acknowledgeThrough(partition, snapshot.position()).toCompletableFuture().join();
            runtime.events().checkpointCompleted(partition, completed);
            result.complete(Optional.of(completed));
        } catch (CheckpointConflictException e) {
            LOG.log(Level.WARNING, "Partition {0} has a newer checkpoint by another writer ({1}): dropping it here",
                    partition, e.getMessage());
            discard(snapshot.dir());
            runtime.events().checkpointFailed(partition, e, Duration.ofNanos(System.nanoTime() - started));
            onLost.accept(this);
            result.completeExceptionally(e);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Checkpoint of partition " + partition + " failed; the next one retries", e);
            discard(snapshot.dir());
            runtime.events().checkpointFailed(partition, e, Duration.ofNanos(System.nanoTime() - started));
            result.completeExceptionally(e);
        }
    }

    /** The newest committed snapshot stays on the local volume: a restart of this pod restores from it without downloading. */
    private void keepAsLastCheckpoint(Path snapshotDir) throws IOException {
        Path previous = lastCheckpoint.resolveSibling("checkpoint.previous");
        Directories.deleteRecursively(previous);
        if (Files.exists(lastCheckpoint)) {
            Files.move(lastCheckpoint, previous);
        }
        Files.move(snapshotDir, lastCheckpoint);
        Directories.deleteRecursively(previous);
    }

    private void discard(Path snapshotDir) {
        try {
            Directories.deleteRecursively(snapshotDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void fail(String what, Exception e) {
        LOG.log(Level.ERROR, "Partition " + partition + " failed " + what + "; dropping it so that it restarts from its last checkpoint", e);
        dropped = true;
        onLost.accept(this);
    }
}
