package io.sensorrollup.partition;

import io.sensorrollup.checkpoint.PartitionCheckpointer;
import io.sensorrollup.checkpoint.RestoredCheckpoint;
import io.sensorrollup.state.Directories;
import io.sensorrollup.state.PartitionProcessor;
import io.sensorrollup.state.Snapshot;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * One attempt to restore a partition: its newest checkpoint, checked against what the source has already
 * acknowledged, opened, and a snapshot of it taken for the claim: committed again as the next checkpoint, which
 * fences the previous owner. The previous owner may still be uploading a checkpoint when Pulsar moves the partition
 * here; checkpoint ids are taken in order, so its manifest and this claim race for one key and exactly one of them
 * commits. The claim uploads while the partition already runs ({@link ClaimCommit}).
 */
final class RestoreAndClaim {

    private static final Duration CURSOR_TIMEOUT = Duration.ofSeconds(10);

    /**
     * The restored state, and the checkpointer that continues from it.
     *
     * @param startsAfter the position the delivery must go on right after ({@link DeliveryFilter}): the restored one,
     *     or the subscription's acknowledged one when there was nothing to restore; null when there is neither
     * @param claim the restored state's snapshot to commit as the claim; empty when there was nothing to restore
     */
    record Restored(PartitionProcessor processor, PartitionCheckpointer checkpointer, Optional<RestoredCheckpoint> from,
            byte[] startsAfter, Optional<Snapshot> claim, RestoreTimes times) {
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
     * @param dropped whether the partition was taken away meanwhile: then empty is returned
     * @throws IOException the checkpoint store or the source did not answer: try again later
     * @throws RestoreRefusedException the newest checkpoint is behind the acknowledged position
     */
    Optional<Restored> attempt(BooleanSupplier dropped) throws IOException, RestoreRefusedException {
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
            long opened = System.nanoTime();
            return Optional.of(new Restored(empty, checkpointer, checkpoint, acknowledged, Optional.empty(),
                    times(started, fetched, checked, opened)));
        }
        PartitionProcessor processor = PartitionProcessor.restore(local.lastCheckpoint(), local.db(), runtime.engine(),
                runtime.resources(), runtime.wallClock());
        long opened = System.nanoTime();
        try {
            if (dropped.getAsBoolean()) {
                processor.close();
                return Optional.empty();
            }
            // state a rescale gave a new partition covers none of its messages: they all come, as without one
            byte[] startsAfter = checkpoint.get().manifest().hasPosition() ? checkpoint.get().manifest().position()
                    : await(runtime.cursor().acknowledged(partition), "the acknowledged position").orElse(null);
            // even a hand-over is claimed: its writer commits nothing after it, but another pod that restored it
            // since may still have a checkpoint in flight (PartitionLifecycleTest, dev/bench failover's roll)
            Snapshot claim = processor.snapshot(local.nextSnapshot());
            return Optional.of(new Restored(processor, checkpointer, checkpoint, startsAfter, Optional.of(claim),
                    times(started, fetched, checked, opened)));
        } catch (IOException | RuntimeException e) {
            processor.close();
            throw e;
        }
    }

    private static RestoreTimes times(long started, long fetched, long checked, long opened) {
        return new RestoreTimes(Duration.ofNanos(opened - started), Duration.ofNanos(fetched - started),
                Duration.ofNanos(checked - fetched), Duration.ofNanos(opened - checked));
    }

    private PartitionProcessor open() {
        return PartitionProcessor.open(local.db(), runtime.engine(), runtime.resources(), runtime.wallClock());
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
}
