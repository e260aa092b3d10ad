package io.sensorrollup.ops;

import io.quarkus.runtime.StartupEvent;
import io.sensorrollup.checkpoint.Checkpoints;
import io.sensorrollup.checkpoint.Manifest;
import io.sensorrollup.checkpoint.SavepointRestore;
import io.sensorrollup.checkpoint.SavepointRestoreLease;
import io.sensorrollup.checkpoint.TopicPartitionCount;
import io.sensorrollup.checkpoint.runtime.CheckpointConfig;
import io.sensorrollup.source.pulsar.KeyPartitions;
import io.sensorrollup.source.pulsar.PulsarSourceConfig;
import io.sensorrollup.source.pulsar.PulsarTopicAdmin;
import io.sensorrollup.state.Directories;
import io.sensorrollup.state.StateResources;
import io.sensorrollup.state.runtime.EngineSettings;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.interceptor.Interceptor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.IntStream;
import org.jboss.logging.Logger;

/**
 * {@code rollup.checkpoint.restore-savepoint}: after the dependencies are prepared and before the
 * channel connects, the savepoint becomes each partition's newest checkpoint and the subscription is
 * rewound to its positions; a bad name stops start-up naming the key. When the topic has more partitions than
 * the checkpoints were taken with, the savepoint's windows are first moved to the partitions their devices hash to
 * now, and the new count is recorded last.
 */
@ApplicationScoped
class SavepointStartup {

    private static final Logger LOG = Logger.getLogger(SavepointStartup.class);
    static final String KEY = "rollup.checkpoint.restore-savepoint";
    /** Longer than any restore takes; a pod that died holding the lease takes it again on its restart anyway. */
    private static final Duration LEASE_STALE = Duration.ofMinutes(30);

    private static java.nio.file.Path scratch(EngineSettings engine) {
        return engine.state().dir().resolve("savepoint-restore");
    }

    void restore(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 1) StartupEvent ignored, CheckpointConfig config,
            Checkpoints checkpoints, Instance<PulsarTopicAdmin> pulsar, PulsarSourceConfig source, EngineSettings engine)
            throws Exception {
        if (config.restoreSavepoint().isEmpty()) {
            return;
        }
        String name = config.restoreSavepoint().get();
        SavepointRestoreLease lease;
        try {
            lease = SavepointRestoreLease.await(checkpoints.store(), name, checkpoints.owner(), Clock.systemUTC(), LEASE_STALE);
        } catch (IllegalArgumentException e) { // a name no savepoint can have
            throw new IllegalStateException(KEY + "=" + name + ": " + e.getMessage(), e);
        }
        try (lease) {
            apply(name, checkpoints, pulsar, source, engine);
        }
    }

    private static void apply(String name, Checkpoints checkpoints, Instance<PulsarTopicAdmin> pulsar, PulsarSourceConfig source,
            EngineSettings engine) throws Exception {
        TopicPartitionCount count = new TopicPartitionCount(checkpoints.store());
        OptionalInt recorded = count.recorded();
        int partitions = pulsar.isResolvable() ? pulsar.get().partitions() : 0;
        boolean rescale = pulsar.isResolvable() && recorded.isPresent() && recorded.getAsInt() != partitions;
        SavepointRestore restore;
        Optional<List<Manifest>> parts;
        try {
            restore = new SavepointRestore(checkpoints, name);
            if (pulsar.isResolvable() && !restore.wasApplied()) {
                refuseIncomplete(checkpoints, name, rescale ? recorded.getAsInt() : partitions);
            }
            parts = rescale ? rescaled(restore, partitions, source, engine) : restore.promote(scratch(engine));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(KEY + "=" + name + ": " + e.getMessage(), e);
        }
        if (parts.isEmpty()) {
            if (rescale) {
                finishRescale(restore, count, name, source.topic(), recorded.getAsInt(), partitions);
            }
            return;
        }
        for (Manifest part : parts.get()) {
            if (part.hasPosition()) {
                pulsar.get().resetCursor(part.partition(), part.position(), source.subscription());
            }
        }
        if (rescale) {
            restore.markRescaled(partitions);
            count.record(source.topic(), partitions);
        } else {
            restore.markApplied();
        }
        Directories.deleteRecursively(scratch(engine));
        LOG.infof("Started from savepoint %s: %d partitions restored to it and their subscription rewound%s", name,
                parts.get().size(), rescale ? ", its windows moved from " + recorded.getAsInt() + " to " + partitions + " partitions" : "");
    }

    private static Optional<List<Manifest>> rescaled(SavepointRestore restore, int partitions, PulsarSourceConfig source,
            EngineSettings engine) throws Exception {
        LOG.infof("The topic has %d partitions now: moving the savepoint's windows to the partitions their devices hash to"
                + " (rollup.source.key-hashing-scheme=%s)", partitions, source.keyHashingScheme());
        try (StateResources resources = StateResources.create(64L << 20, 32L << 20)) {
            return restore.promoteRescaled(scratch(engine), partitions,
                    new KeyPartitions(source.keyHashingScheme(), partitions), resources);
        }
    }

    /** An earlier start-up stopped between the rescale's last step and recording the count; else none was done. */
    private static void finishRescale(SavepointRestore restore, TopicPartitionCount count, String name, String topic,
            int recorded, int partitions) throws Exception {
        if (restore.rescaledTo().equals(OptionalInt.of(partitions))) {
            count.record(topic, partitions);
            LOG.infof("Savepoint %s was rescaled to %d partitions by an earlier start-up: recorded the count", name, partitions);
            return;
        }
        throw new IllegalStateException(KEY + "=" + name + ": the savepoint was applied by an earlier start-up, and the topic"
                + " has " + partitions + " partitions where its checkpoints have " + recorded + ": take a new savepoint"
                + " on " + recorded + " partitions to rescale from");
    }

    /**
     * A savepoint is taken cluster-wide, so one without a part for some partition is not complete yet (or one of
     * its partitions had processed nothing): starting from it would leave those partitions where they are, ahead of
     * the rest, so start-up refuses it. One with no part at all is left to the restore (never taken, or applied).
     */
    private static void refuseIncomplete(Checkpoints checkpoints, String name, int partitions) throws Exception {
        Set<Integer> covered = checkpoints.savepointPartitions(name);
        List<Integer> without = IntStream.range(0, partitions).filter(p -> !covered.contains(p)).boxed().toList();
        if (!covered.isEmpty() && !without.isEmpty()) {
            throw new IllegalStateException(KEY + "=" + name + ": the savepoint is not complete, it has no part for partitions "
                    + without + " (GET /api/savepoints); start from a complete one");
        }
    }
}
