package io.sensorrollup.partition.runtime;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.sensorrollup.partition.PartitionTasks;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/** Every {@code rollup.checkpoint.interval}, each owned partition checkpoints on its own; and once more at shutdown. */
@ApplicationScoped
class CheckpointScheduler {

    private static final Logger LOG = Logger.getLogger(CheckpointScheduler.class);

    /** Within the pod's termination grace period (60 s in k8s/) with room for the rest of the shutdown. */
    static final int FINAL_CHECKPOINT_SECONDS = 30;

    private final PartitionTasks tasks;

    CheckpointScheduler(PartitionTasks tasks) {
        this.tasks = tasks;
    }

    // non-blocking: a checkpoint waiting on a hung store holds no scheduler thread, and none delays shutdown
    @Scheduled(every = "${rollup.checkpoint.interval}", delayed = "${rollup.checkpoint.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    CompletionStage<Void> checkpoint() {
        return tasks.checkpointAll();
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void advanceIdlePartitions() {
        tasks.advanceIdleAll();
        tasks.checkDeliveries();
    }

    /**
     * The graceful hand-over (SIGTERM): stop taking batches, wait for the checkpoints in flight, checkpoint and
     * acknowledge every partition, all before the consumer, the checkpoint store and the pools close (this
     * observer runs first), so Pulsar moves the partitions at once and their next owners restore exactly this
     * state.
     */
    void finalCheckpoint(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent ignored) {
        try {
            tasks.finalCheckpoint().get(FINAL_CHECKPOINT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            LOG.warnf("Final checkpoint did not finish within %d s; the next owner replays from the previous one",
                    FINAL_CHECKPOINT_SECONDS);
        } catch (Exception e) {
            LOG.warn("Final checkpoint failed; the next owner replays from the previous one", e);
        }
    }
}
