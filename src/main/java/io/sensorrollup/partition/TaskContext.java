package io.sensorrollup.partition;

import io.sensorrollup.checkpoint.Checkpoints;
import io.sensorrollup.source.DeadLetters;
import io.sensorrollup.source.SourceCursor;
import io.sensorrollup.state.EngineConfig;
import io.sensorrollup.state.StateResources;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * What every partition task of a pod shares: the engine's configuration and memory, the
 * checkpoint store, the source's cursor and dead-letter topic, and the pools it runs on.
 *
 * @param stateDir    a directory per partition below it: {@code partition-<p>/db}, {@code /checkpoint}, {@code /snapshots}
 * @param compute     runs the partitions' serial queues (as many threads as cores)
 * @param io          uploads checkpoints, so a partition keeps processing while its checkpoint is stored
 * @param maxQueued   batches a partition may have queued before the source must wait
 * @param maxOutbox   rows a partition's outbox may hold (the sink is behind or down) before the source must wait
 * @param events      told of restores, batches and checkpoints (metrics, checkpoint history)
 */
public record TaskContext(EngineConfig engine, StateResources resources, Path stateDir, Checkpoints checkpoints,
        SourceCursor cursor, DeadLetters deadLetters, Executor compute, Executor io, LongSupplier wallClock,
        int maxQueued, long maxOutbox, TaskEvents events) {
}
