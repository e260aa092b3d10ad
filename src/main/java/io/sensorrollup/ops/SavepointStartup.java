package io.sensorrollup.ops;

import io.quarkus.runtime.StartupEvent;
import io.sensorrollup.checkpoint.Checkpoints;
import io.sensorrollup.checkpoint.Manifest;
import io.sensorrollup.checkpoint.SavepointRestore;
import io.sensorrollup.checkpoint.runtime.CheckpointConfig;
import io.sensorrollup.source.pulsar.PulsarSourceConfig;
import io.sensorrollup.source.pulsar.PulsarTopicAdmin;
import io.sensorrollup.state.Directories;
import io.sensorrollup.state.runtime.EngineSettings;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.interceptor.Interceptor;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.jboss.logging.Logger;

/**
 * {@code rollup.checkpoint.restore-savepoint}: after the dependencies are prepared and before the
 * channel connects, the savepoint becomes each partition's newest checkpoint and the subscription is
 * rewound to its positions; a bad name stops start-up naming the key.
 */
@ApplicationScoped
class SavepointStartup {

    private static final Logger LOG = Logger.getLogger(SavepointStartup.class);
    static final String KEY = "rollup.checkpoint.restore-savepoint";

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
        SavepointRestore restore;
        Optional<List<Manifest>> parts;
        try {
            if (pulsar.isResolvable()) {
                refuseIncomplete(checkpoints, name, pulsar.get().partitions());
            }
            restore = new SavepointRestore(checkpoints, name);
            parts = restore.promote(scratch(engine));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(KEY + "=" + name + ": " + e.getMessage(), e);
        }
        if (parts.isEmpty()) {
            return;
        }
        if (pulsar.isResolvable()) {
            for (Manifest part : parts.get()) {
                pulsar.get().resetCursor(part.partition(), part.position(), source.subscription());
            }
        }
        restore.markApplied();
        Directories.deleteRecursively(scratch(engine));
        LOG.infof("Started from savepoint %s: %d partitions restored to it and their subscription rewound", name, parts.get().size());
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
