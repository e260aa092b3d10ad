package io.sensorrollup.partition;

import io.sensorrollup.checkpoint.CheckpointConflictException;
import io.sensorrollup.checkpoint.PartitionCheckpointer;
import io.sensorrollup.checkpoint.RestoredCheckpoint;
import io.sensorrollup.state.Directories;
import io.sensorrollup.state.PartitionProcessor;
import io.sensorrollup.state.Snapshot;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * One attempt to restore a partition: its newest checkpoint, checked against what the source has already
 * acknowledged, opened, and at once committed again as the next checkpoint (the claim). The previous owner may
 * still be uploading a checkpoint when Pulsar moves the partition here; checkpoint ids are taken in order, so
 * its manifest and this claim race for one key and exactly one of them commits.
 */
final class RestoreAndClaim {

    private static final System.Logger LOG = System.getLogger(RestoreAndClaim.class.getName());
    private static final int MAX_CLAIM_ATTEMPTS = 5;
    private static final Duration CURSOR_TIMEOUT = Duration.ofSeconds(10);

    /**
     * The restored state, and the checkpointer that continues from it.
     *
     * @param startsAfter the position the delivery must go on right after ({@link DeliveryFilter}): the restored one,
     *     or the subscription's acknowledged one when there was nothing to restore; null when there is neither
     */
    record Restored(PartitionProcessor processor, PartitionCheckpointer checkpointer, Optional<RestoredCheckpoint> from,
            byte[] startsAfter, RestoreTimes times) {
    }

    private final int partition;
    private final TaskContext runtime;
    private final LocalCheckpoints local;

    RestoreAndClaim(int partition, TaskContext runtime, LocalCheckpoints local) {
        this.partition = partition;
        this.runtime = runtime;
        this.local = local;
    }

    /**
     * @param dropped whether the partition was taken away meanwhile: then nothing is claimed and empty returned
     * @throws IOException the checkpoint store or the source did not answer: try again later
     * @throws RestoreRefusedException the newest checkpoint is behind the acknowledged position
     */
    Optional<Restored> attempt(BooleanSupplier dropped) throws IOException, RestoreRefusedException {
        for (int attempt = 1; ; attempt++) {
            if (dropped.getAsBoolean()) {
                return Optional.empty();
            }
            local.clearSnapshots();
            long started = System.nanoTime();
            PartitionCheckpointer checkpointer = runtime.checkpoints().partition(partition);
            Optional<RestoredCheckpoint> checkpoint = checkpointer.restore(local.lastCheckpoint());
            long fetched = System.nanoTime();
            checkNotBehindSource(checkpoint);
            long checked = System.nanoTime();
            if (dropped.getAsBoolean()) {
                return Optional.empty();
            }
            if (checkpoint.isEmpty()) {
                // no checkpoint: nothing was acknowledged, so the source replays everything
                Directories.deleteRecursively(local.db());
                byte[] acknowledged = await(runtime.cursor().acknowledged(partition), "the acknowledged position").orElse(null);
                PartitionProcessor empty = open();
                return Optional.of(new Restored(empty, checkpointer, checkpoint, acknowledged,
                        times(started, fetched, checked, System.nanoTime(), System.nanoTime())));
            }
            PartitionProcessor processor = PartitionProcessor.restore(local.lastCheckpoint(), local.db(), runtime.engine(),
                    runtime.resources(), runtime.wallClock());
            long opened = System.nanoTime();
            if (dropped.getAsBoolean()) {
                processor.close();
                return Optional.empty();
            }
            // even a hand-over is claimed: its writer commits nothing after it, but another pod that restored it
            // since may still have a checkpoint in flight (PartitionLifecycleTest, dev/bench failover's roll)
            if (claim(processor, checkpointer)) {
                long claimed = System.nanoTime();
                byte[] startsAfter;
                if (checkpoint.get().manifest().hasPosition()) {
                    acknowledgeRestored(checkpoint.get());
                    startsAfter = checkpoint.get().manifest().position();
                } else {
                    // state a rescale gave a new partition covers none of its messages: they all come, as without one
                    startsAfter = await(runtime.cursor().acknowledged(partition), "the acknowledged position").orElse(null);
                }
                return Optional.of(new Restored(processor, checkpointer, checkpoint, startsAfter,
                        times(started, fetched, checked, opened, claimed)));
            }
            processor.close();
            if (attempt == MAX_CLAIM_ATTEMPTS) {
                throw new IOException("another writer keeps committing checkpoints of partition " + partition);
            }
        }
    }

    private static RestoreTimes times(long started, long fetched, long checked, long opened, long claimed) {
        return new RestoreTimes(Duration.ofNanos(claimed - started), Duration.ofNanos(fetched - started),
                Duration.ofNanos(checked - fetched), Duration.ofNanos(opened - checked), Duration.ofNanos(claimed - opened));
    }

    private PartitionProcessor open() {
        return PartitionProcessor.open(local.db(), runtime.engine(), runtime.resources(), runtime.wallClock());
    }

    /** False when another writer committed the id first: restore again. */
    private boolean claim(PartitionProcessor processor, PartitionCheckpointer checkpointer) throws IOException {
        Snapshot claim = processor.snapshot(local.nextSnapshot());
        try {
            checkpointer.claim(claim.dir(), claim.position(), claim.watermark());
            local.keepAsLastCheckpoint(claim.dir());
            return true;
        } catch (CheckpointConflictException e) {
            LOG.log(Level.INFO, "Partition {0}: the previous owner committed a checkpoint meanwhile; restoring that one", partition);
            local.discard(claim.dir());
            return false;
        } catch (IOException e) {
            // the ids are taken in order: our first checkpoint races the previous owner's the same way
            LOG.log(Level.WARNING, "Partition " + partition + ": claiming the restored checkpoint failed; going on without", e);
            local.discard(claim.dir());
            return true;
        }
    }

    private void checkNotBehindSource(Optional<RestoredCheckpoint> checkpoint) throws IOException, RestoreRefusedException {
        byte[] position = checkpoint.filter(c -> c.manifest().hasPosition()).map(c -> c.manifest().position()).orElse(null);
        Optional<String> acknowledged = await(runtime.cursor().acknowledgedBeyond(partition, position), "where it is acknowledged");
        if (acknowledged.isPresent()) {
            throw new RestoreRefusedException("the newest checkpoint of partition " + partition + " ("
                    + checkpoint.map(c -> "checkpoint " + c.manifest().checkpointId() + " at "
                            + (position == null ? "no position" : runtime.cursor().describe(position))).orElse("none")
                    + ") is behind the subscription's acknowledged position " + acknowledged.get()
                    + ": running from it would lose the readings in between, so the partition is not run here");
        }
    }

    private <T> T await(java.util.concurrent.CompletionStage<T> answer, String what) throws IOException {
        try {
            return answer.toCompletableFuture().get(CURSOR_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the source did not say " + what + " of partition " + partition + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The previous owner may have died between its manifest and its acknowledgement. */
    private void acknowledgeRestored(RestoredCheckpoint checkpoint) {
        runtime.cursor().acknowledgeThrough(partition, checkpoint.manifest().position()).exceptionally(e -> {
            LOG.log(Level.WARNING, "Partition {0}: acknowledging the restored position failed; the next checkpoint does", partition);
            return null;
        });
    }
}
