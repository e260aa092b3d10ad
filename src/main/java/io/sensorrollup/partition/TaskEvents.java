package io.sensorrollup.partition;

import io.sensorrollup.checkpoint.CompletedCheckpoint;
import io.sensorrollup.checkpoint.RestoredCheckpoint;
import io.sensorrollup.state.BatchResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What happens to the partitions a pod owns, for whoever keeps count (metrics, the checkpoint history of
 * the API). Called on the partition's queue or its upload thread: implementations must be quick and
 * thread-safe.
 */
public interface TaskEvents {

    default void restored(int partition, Optional<RestoredCheckpoint> from, RestoreTimes took) {
    }

    /**
     * The partition's claim committed, as checkpoint {@code checkpointId}, {@code took} after it was started as the
     * partition switched to running: the partition processed meanwhile, and committed and acknowledged nothing.
     */
    default void claimed(int partition, long checkpointId, Duration took) {
    }

    /** The restore could not finish yet and is tried again later: the checkpoint store is down, or its state is stale. */
    default void restoreWaiting(int partition, String reason) {
    }

    /** The partition's delivery did not go on from its restored position, and the source was asked to deliver again. */
    default void redeliveryRequested(int partition) {
    }

    default void processed(int partition, BatchResult result) {
    }

    /** Messages delivered again that the partition's state already covers (after a restore), dropped. */
    default void replayed(int partition, int messages) {
    }

    default void checkpointCompleted(int partition, CompletedCheckpoint checkpoint) {
    }

    default void checkpointFailed(int partition, Throwable error, Duration took) {
    }

    /** The partition is no longer processed here (moved away, lost, or the pod stops). */
    default void dropped(int partition) {
    }

    static TaskEvents none() {
        return new TaskEvents() {
        };
    }

    /** Tells each of {@code listeners}, in order. */
    static TaskEvents all(TaskEvents... listeners) {
        List<TaskEvents> all = List.of(listeners);
        return new TaskEvents() {
            @Override
            public void restored(int partition, Optional<RestoredCheckpoint> from, RestoreTimes took) {
                all.forEach(l -> l.restored(partition, from, took));
            }

            @Override
            public void claimed(int partition, long checkpointId, Duration took) {
                all.forEach(l -> l.claimed(partition, checkpointId, took));
            }

            @Override
            public void restoreWaiting(int partition, String reason) {
                all.forEach(l -> l.restoreWaiting(partition, reason));
            }

            @Override
            public void redeliveryRequested(int partition) {
                all.forEach(l -> l.redeliveryRequested(partition));
            }

            @Override
            public void processed(int partition, BatchResult result) {
                all.forEach(l -> l.processed(partition, result));
            }

            @Override
            public void replayed(int partition, int messages) {
                all.forEach(l -> l.replayed(partition, messages));
            }

            @Override
            public void checkpointCompleted(int partition, CompletedCheckpoint checkpoint) {
                all.forEach(l -> l.checkpointCompleted(partition, checkpoint));
            }

            @Override
            public void checkpointFailed(int partition, Throwable error, Duration took) {
                all.forEach(l -> l.checkpointFailed(partition, error, took));
            }

            @Override
            public void dropped(int partition) {
                all.forEach(l -> l.dropped(partition));
            }
        };
    }
}
