package io.sensorrollup.partition;

import io.sensorrollup.checkpoint.CheckpointConflictException;
import io.sensorrollup.checkpoint.CompletedCheckpoint;
import io.sensorrollup.checkpoint.PartitionCheckpointer;
import io.sensorrollup.checkpoint.RestoredCheckpoint;
import io.sensorrollup.state.Snapshot;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Commits a new owner's claim, off the partition's queue: the restored state again as the next checkpoint, which
 * fences the previous owner (ids are taken in order and exactly one writer commits an id), then the restored position
 * acknowledged, since the previous owner may have died between its manifest and its acknowledgement. The partition
 * processes meanwhile; {@link TaskCheckpoints} holds its checkpoints and acknowledgements back until the claim has
 * landed.
 */
final class ClaimCommit {

    private static final System.Logger LOG = System.getLogger(ClaimCommit.class.getName());

    enum Outcome {
        /** Committed: the partition is this task's. */
        CLAIMED,
        /** The previous owner committed a newer checkpoint meanwhile: the task's state is stale. */
        LOST,
        /** The store did not answer, or the task was dropped: the task goes on without (its first checkpoint races alike). */
        WITHOUT
    }

    private final int partition;
    private final TaskContext runtime;
    private final LocalCheckpoints local;

    ClaimCommit(int partition, TaskContext runtime, LocalCheckpoints local) {
        this.partition = partition;
        this.runtime = runtime;
        this.local = local;
    }

    Outcome commit(PartitionCheckpointer checkpointer, Snapshot claim, RestoredCheckpoint restored, BooleanSupplier dropped) {
        long started = System.nanoTime();
        try {
            if (dropped.getAsBoolean()) {
                local.discard(claim.dir());
                return Outcome.WITHOUT;
            }
            CompletedCheckpoint claimed = checkpointer.claim(claim.dir(), claim.position(), claim.watermark());
            local.keepAsLastCheckpoint(claim.dir());
            runtime.events().claimed(partition, claimed.checkpointId(), Duration.ofNanos(System.nanoTime() - started));
            acknowledgeRestored(restored, dropped);
            return Outcome.CLAIMED;
        } catch (CheckpointConflictException e) {
            LOG.log(Level.INFO, "Partition {0}: the previous owner committed a checkpoint meanwhile; restoring that one, and"
                    + " dropping what was processed since the restore (none of it committed or acknowledged)", partition);
            local.discard(claim.dir());
            return Outcome.LOST;
        } catch (IOException e) {
            // the ids are taken in order: our first checkpoint races the previous owner's the same way
            LOG.log(Level.WARNING, "Partition " + partition + ": claiming the restored checkpoint failed; going on without", e);
            local.discard(claim.dir());
            acknowledgeRestored(restored, dropped);
            return Outcome.WITHOUT;
        }
    }

    private void acknowledgeRestored(RestoredCheckpoint restored, BooleanSupplier dropped) {
        if (!restored.manifest().hasPosition() || dropped.getAsBoolean()) {
            return;
        }
        runtime.cursor().acknowledgeThrough(partition, restored.manifest().position()).exceptionally(e -> {
            LOG.log(Level.WARNING, "Partition {0}: acknowledging the restored position failed; the next checkpoint does", partition);
            return null;
        });
    }
}
