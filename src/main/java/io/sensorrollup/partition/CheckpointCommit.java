package io.sensorrollup.partition;

import io.sensorrollup.checkpoint.CheckpointConflictException;
import io.sensorrollup.checkpoint.CompletedCheckpoint;
import io.sensorrollup.checkpoint.CrashPoint;
import io.sensorrollup.checkpoint.PartitionCheckpointer;
import io.sensorrollup.state.Snapshot;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;

/**
 * Commits a snapshot of a partition (CONTRACT §4), off the partition's queue: its dead letters stored, its
 * files and then its manifest uploaded, and only then the source acknowledged up to its position. A task that
 * lost the partition meanwhile stops before the step it has not reached.
 */
final class CheckpointCommit {

    private final int partition;
    private final TaskContext runtime;
    private final LocalCheckpoints local;

    CheckpointCommit(int partition, TaskContext runtime, LocalCheckpoints local) {
        this.partition = partition;
        this.runtime = runtime;
        this.local = local;
    }

    /** @return the committed checkpoint, acknowledged; empty when the partition was dropped before its manifest */
    Optional<CompletedCheckpoint> commit(PartitionCheckpointer checkpointer, Snapshot snapshot, CheckpointKind kind,
            BooleanSupplier dropped) throws IOException, CheckpointConflictException {
        try {
            // dead letters first: once the manifest commits, a restore skips their source messages
            join(runtime.deadLetters().flush(partition));
            if (dropped.getAsBoolean()) {
                local.discard(snapshot.dir());
                return Optional.empty();
            }
            CompletedCheckpoint completed = kind.savepoint().isPresent()
                    ? checkpointer.savepoint(kind.savepoint().get(), snapshot.dir(), snapshot.position(), snapshot.watermark())
                    : kind.handOver() ? checkpointer.handOver(snapshot.dir(), snapshot.position(), snapshot.watermark())
                    : checkpointer.checkpoint(snapshot.dir(), snapshot.position(), snapshot.watermark());
            local.keepAsLastCheckpoint(snapshot.dir());
            CrashPoint.beforeAck(partition, completed.checkpointId());
            if (!dropped.getAsBoolean()) {
                // a dropped task leaves the acknowledgement to the next owner, which acknowledges what it restores
                join(runtime.cursor().acknowledgeThrough(partition, snapshot.position()));
            }
            return Optional.of(completed);
        } catch (IOException | CheckpointConflictException | RuntimeException e) {
            if (java.nio.file.Files.exists(snapshot.dir())) {
                local.discard(snapshot.dir());
            }
            throw e;
        }
    }

    private static void join(java.util.concurrent.CompletionStage<Void> stage) throws IOException {
        try {
            stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            throw new IOException(e.getCause() == null ? e.getMessage() : e.getCause().getMessage(), e.getCause());
        }
    }
}
