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
import java.util.stream.Collectors;
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
            warnAboutPartitionsWithoutPart(name, parts.get(), pulsar.get().partitions());
        }
        restore.markApplied();
        Directories.deleteRecursively(scratch(engine));
        LOG.infof("Started from savepoint %s: %d partitions restored to it and their subscription rewound", name, parts.get().size());
    }

    /**
     * A partition without a part had processed nothing when the savepoint was taken, or was owned by a pod
     * that was not asked for one: it keeps its newest checkpoint and its cursor.
     */
    private static void warnAboutPartitionsWithoutPart(String name, List<Manifest> parts, int partitions) {
        Set<Integer> covered = parts.stream().map(Manifest::partition).collect(Collectors.toSet());
        List<Integer> without = IntStream.range(0, partitions).filter(p -> !covered.contains(p)).boxed().toList();
        if (!without.isEmpty()) {
            LOG.warnf("Savepoint %s has no part for partitions %s (they had processed nothing when it was taken, or"
                    + " their pod was not asked for one): they restore their newest checkpoint and keep their position",
                    name, without);
        }
    }
}
