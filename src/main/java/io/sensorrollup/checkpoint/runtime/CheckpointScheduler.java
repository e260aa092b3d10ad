package io.sensorrollup.checkpoint.runtime;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.sensorrollup.checkpoint.PartitionTasks;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/** Every {@code rollup.checkpoint.interval}, each owned partition checkpoints on its own; and once more at shutdown. */
@ApplicationScoped
class CheckpointScheduler {

    private static final Logger LOG = Logger.getLogger(CheckpointScheduler.class);

    private final PartitionTasks tasks;

    CheckpointScheduler(PartitionTasks tasks) {
        this.tasks = tasks;
    }

    @Scheduled(every = "${rollup.checkpoint.interval}", delayed = "${rollup.checkpoint.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void checkpoint() {
        tasks.checkpointAll().join();
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void advanceIdlePartitions() {
        tasks.advanceIdleAll();
    }

    /**
     * The graceful hand-over (SIGTERM): stop taking batches, checkpoint and acknowledge every partition,
     * all before the consumer closes, so Pulsar moves the partitions at once and their next owners restore
     * exactly this state.
     */
    void finalCheckpoint(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent ignored) {
        tasks.stopAccepting();
        try {
            tasks.checkpointAll().get(20, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            LOG.warn("Final checkpoint did not finish within 20 s; the next owner replays from the previous one");
        } catch (Exception e) {
            LOG.warn("Final checkpoint failed; the next owner replays from the previous one", e);
        }
    }
}
