package io.sensorrollup.partition;

import io.sensorrollup.checkpoint.CheckpointConflictException;
import io.sensorrollup.checkpoint.CompletedCheckpoint;
import io.sensorrollup.checkpoint.PartitionCheckpointer;
import io.sensorrollup.checkpoint.RestoredCheckpoint;
import io.sensorrollup.state.PartitionProcessor;
import io.sensorrollup.state.Snapshot;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A partition task's checkpoints, one in flight at a time: a snapshot taken on the partition's queue between two
 * batches, when the state moved past the newest committed checkpoint, then committed off the queue
 * ({@link CheckpointCommit}). A conflict with another writer means the partition is lost here.
 *
 * <p>The first commit of a restored task is its claim ({@link ClaimCommit}), which uploads while the partition already
 * processes. Until it has landed nothing else commits or acknowledges: a checkpoint taken meanwhile is in flight,
 * and waits for it. A claim that lost to a newer checkpoint makes the task stale.
 */
final class TaskCheckpoints {

    private static final System.Logger LOG = System.getLogger(TaskCheckpoints.class.getName());

    /** What of its task a checkpoint reads: on the partition's queue, except {@code dropped}. */
    record Task(Supplier<PartitionProcessor> processor, Supplier<PartitionCheckpointer> checkpointer,
            BooleanSupplier dropped, Runnable lost, Runnable stale) {
    }

    private final int partition;
    private final TaskContext runtime;
    private final SerialExecutor serial;
    private final LocalCheckpoints local;
    private final CheckpointCommit commit;
    private final ClaimCommit claims;
    private final Task task;
    private final AtomicReference<CompletableFuture<Optional<CompletedCheckpoint>>> inFlight =
            new AtomicReference<>(CompletableFuture.completedFuture(Optional.empty()));
    /** Completes (never exceptionally) once the claim has landed, whatever its outcome. */
    private volatile CompletableFuture<Void> claimLanded = CompletableFuture.completedFuture(null);

    // touched on the serial queue only
    private byte[] committedPosition;
    private long committedWatermark = Long.MIN_VALUE;

    TaskCheckpoints(int partition, TaskContext runtime, SerialExecutor serial, LocalCheckpoints local, Task task) {
        this.partition = partition;
        this.runtime = runtime;
        this.serial = serial;
        this.local = local;
        this.commit = new CheckpointCommit(partition, runtime, local);
        this.claims = new ClaimCommit(partition, runtime, local);
        this.task = task;
    }

    /** The checkpoint the task restored: on the partition's queue. */
    void restoredFrom(RestoredCheckpoint checkpoint) {
        committedPosition = checkpoint.manifest().position();
        committedWatermark = checkpoint.manifest().watermark();
    }

    /**
     * Starts committing {@code snapshot}, the state restored from {@code restored}, as the claim: on the partition's
     * queue, before its first batch, so that every checkpoint taken after it finds the claim in flight.
     */
    void claim(Snapshot snapshot, RestoredCheckpoint restored) {
        CompletableFuture<Void> landed = new CompletableFuture<>();
        claimLanded = landed;
        PartitionCheckpointer writer = task.checkpointer().get();
        runtime.io().execute(() -> {
            try {
                if (claims.commit(writer, snapshot, restored, task.dropped()) == ClaimCommit.Outcome.LOST) {
                    task.stale().run(); // drops this task before anything waiting on the claim goes on
                }
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "Claiming partition " + partition + " failed; dropping it here", e);
                task.lost().run();
            } finally {
                landed.complete(null);
            }
        });
    }

    /**
     * Takes a checkpoint of {@code kind}. With one in flight: after it if {@code afterInFlight}, else
     * none (completes empty). Completes empty too when nothing changed since the last, unless it is a savepoint.
     */
    CompletionStage<Optional<CompletedCheckpoint>> take(CheckpointKind kind, boolean afterInFlight) {
        while (true) {
            CompletableFuture<Optional<CompletedCheckpoint>> current = inFlight.get();
            if (!current.isDone()) {
                if (!afterInFlight) {
                    return CompletableFuture.completedFuture(Optional.empty());
                }
                return current.handle((ok, e) -> null).thenCompose(ignored -> take(kind, true));
            }
            CompletableFuture<Optional<CompletedCheckpoint>> mine = new CompletableFuture<>();
            if (inFlight.compareAndSet(current, mine)) {
                serial.execute(() -> snapshotThenCommit(kind, mine));
                return mine;
            }
        }
    }

    /** Completes once the claim has landed, whatever its outcome; at once when none was started. */
    CompletionStage<Void> claimLanded() {
        return claimLanded;
    }

    /** Completes when neither the claim nor a checkpoint is in flight (however they ended). */
    CompletionStage<Void> noneInFlight() {
        return inFlight.get().handle((ok, e) -> null).thenCombine(claimLanded, (a, b) -> null);
    }

    /** Acknowledges the newest checkpoint again, in case its acknowledgement was lost; after the claim. */
    CompletionStage<Void> acknowledgeCommitted() {
        CompletableFuture<byte[]> position = new CompletableFuture<>();
        claimLanded.thenRun(() -> serial.execute(
                () -> position.complete(task.dropped().getAsBoolean() ? null : committedPosition)));
        return position.thenCompose(p -> p == null ? CompletableFuture.completedFuture(null)
                : runtime.cursor().acknowledgeThrough(partition, p));
    }

    private void snapshotThenCommit(CheckpointKind kind, CompletableFuture<Optional<CompletedCheckpoint>> result) {
        CompletableFuture<Void> claim = claimLanded;
        if (!claim.isDone()) {
            claim.thenRun(() -> serial.execute(() -> snapshotThenCommit(kind, result)));
            return;
        }
        Snapshot snapshot;
        try {
            snapshot = snapshotIfChanged(kind.savepoint().isPresent());
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
        PartitionCheckpointer writer = task.checkpointer().get();
        runtime.io().execute(() -> commit(writer, snapshot, kind, result));
    }

    private Snapshot snapshotIfChanged(boolean evenIfUnchanged) {
        PartitionProcessor processor = task.processor().get();
        if (task.dropped().getAsBoolean() || processor == null) {
            return null;
        }
        byte[] position = processor.position();
        if (position == null || (!evenIfUnchanged
                && Arrays.equals(position, committedPosition) && processor.watermark() == committedWatermark)) {
            return null;
        }
        return processor.snapshot(local.nextSnapshot());
    }

    private void commit(PartitionCheckpointer writer, Snapshot snapshot, CheckpointKind kind,
            CompletableFuture<Optional<CompletedCheckpoint>> result) {
        long started = System.nanoTime();
        try {
            Optional<CompletedCheckpoint> completed = commit.commit(writer, snapshot, kind, task.dropped());
            if (completed.isPresent()) {
                serial.execute(() -> {
                    committedPosition = snapshot.position();
                    committedWatermark = snapshot.watermark();
                });
                runtime.events().checkpointCompleted(partition, completed.get());
            }
            result.complete(completed);
        } catch (CheckpointConflictException e) {
            LOG.log(Level.WARNING, "Partition {0} has a newer checkpoint by another writer ({1}): dropping it here",
                    partition, e.getMessage());
            runtime.events().checkpointFailed(partition, e, Duration.ofNanos(System.nanoTime() - started));
            task.lost().run();
            result.completeExceptionally(e);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Checkpoint of partition " + partition + " failed; the next one retries", e);
            runtime.events().checkpointFailed(partition, e, Duration.ofNanos(System.nanoTime() - started));
            result.completeExceptionally(e);
        }
    }
}
