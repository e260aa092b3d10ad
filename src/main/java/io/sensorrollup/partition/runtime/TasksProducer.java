package io.sensorrollup.partition.runtime;

import io.quarkus.runtime.Quarkus;
import io.sensorrollup.partition.CheckpointHistory;
import io.sensorrollup.checkpoint.Checkpoints;
import io.sensorrollup.partition.TaskEvents;
import io.sensorrollup.partition.RecoveryLog;
import io.sensorrollup.partition.RejectionLog;
import io.sensorrollup.partition.TaskContext;
import io.sensorrollup.partition.PartitionTasks;
import io.sensorrollup.source.DeadLetters;
import io.sensorrollup.source.SourceCursor;
import io.sensorrollup.state.StateResources;
import io.sensorrollup.state.runtime.EngineSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** The pod's partitions, wired to the configured engine, checkpoint store and Pulsar source. */
@ApplicationScoped
class TasksProducer {

    private static final Logger LOG = Logger.getLogger(TasksProducer.class);

    /** Exit code when a partition's state is lost while Pulsar still delivers it here: the restart replays from the checkpoints. */
    static final int STATE_LOST_EXIT = 70;
    private static final int MAX_QUEUED_BATCHES = 4;
    private static final int CHECKPOINTS_KEPT_IN_HISTORY = 10;
    private static final long REJECTION_LOG_INTERVAL_MILLIS = 60_000;

    private final StateResources resources;
    private final ExecutorService compute;
    private final ExecutorService io;

    TasksProducer(EngineSettings settings) {
        this.resources = StateResources.create(settings.state().blockCache().asLongValue(),
                settings.state().writeBuffers().asLongValue());
        this.compute = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), named("partition"));
        this.io = Executors.newFixedThreadPool(4, named("checkpoint-upload"));
    }

    @Produces
    @ApplicationScoped
    PartitionTasks partitionTasks(EngineSettings settings, Checkpoints checkpoints, SourceCursor cursor,
            DeadLetters deadLetters, OutboxLimitConfig outbox, CheckpointHistory history, TaskMetrics metrics,
            RecoveryLog recoveries) {
        var runtime = new TaskContext(settings.engineConfig(), resources, settings.state().dir(), checkpoints,
                cursor, deadLetters, compute, io, System::currentTimeMillis, MAX_QUEUED_BATCHES, outbox.maxOutbox(),
                TaskEvents.all(history, metrics, recoveries,
                        new RejectionLog(REJECTION_LOG_INTERVAL_MILLIS, System::currentTimeMillis)));
        return new PartitionTasks(runtime, () -> {
            LOG.error("A partition's state was lost while this pod still consumes it: restarting to replay from the checkpoints");
            Quarkus.asyncExit(STATE_LOST_EXIT);
        });
    }

    @Produces
    @ApplicationScoped
    RecoveryLog recoveryLog(@ConfigProperty(name = "mp.messaging.incoming.readings.consumerName") String podName) {
        return new RecoveryLog(podName, System::currentTimeMillis);
    }

    @Produces
    @ApplicationScoped
    CheckpointHistory checkpointHistory() {
        return new CheckpointHistory(CHECKPOINTS_KEPT_IN_HISTORY, Instant::now);
    }

    void close(@Disposes PartitionTasks tasks) {
        tasks.dropAll().join();
        compute.shutdown();
        io.shutdown();
        resources.close();
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
