package io.sensorrollup.checkpoint;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Starting from a savepoint, with every pod stopped: each partition's part of the savepoint is committed
 * again as that partition's newest checkpoint, so the normal restore picks it; the caller then rewinds the
 * source to each part's position and calls {@link #markApplied}. A marker object in the store makes a
 * later start-up with the same setting a no-op (like Flink's {@code -s}, which applies to one submission).
 */
public final class SavepointRestore {

    private static final System.Logger LOG = System.getLogger(SavepointRestore.class.getName());

    private final Checkpoints checkpoints;
    private final String name;

    public SavepointRestore(Checkpoints checkpoints, String name) {
        Checkpoints.checkSavepointName(name);
        this.checkpoints = checkpoints;
        this.name = name;
    }

    /**
     * Promotes the savepoint's parts to newest checkpoints; empty when this savepoint was applied before.
     *
     * @return the parts, whose positions the source must be rewound to
     * @throws IllegalArgumentException when there is no savepoint of that name
     */
    public Optional<List<Manifest>> promote(Path scratch) throws IOException, CheckpointConflictException {
        if (!checkpoints.store().list(markerKey()).isEmpty()) {
            LOG.log(Level.INFO, "Savepoint {0} was applied by an earlier start-up: restoring the newest checkpoints", name);
            return Optional.empty();
        }
        Savepoint savepoint = checkpoints.savepoints().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no savepoint named " + name + " in " + checkpoints.store()));
        for (Manifest part : savepoint.manifests()) {
            PartitionCheckpointer partition = checkpoints.partition(part.partition());
            Path dir = scratch.resolve("savepoint-" + name + "-partition-" + part.partition());
            partition.restoreSavepoint(name, dir).orElseThrow(() -> new IOException(
                    "savepoint " + name + " of partition " + part.partition() + " has missing or damaged files"));
            CompletedCheckpoint promoted = partition.checkpoint(dir, part.position(), part.watermark());
            LOG.log(Level.INFO, "Partition {0}: savepoint {1} (checkpoint {2}) is now checkpoint {3}",
                    part.partition(), name, part.checkpointId(), promoted.checkpointId());
        }
        return Optional.of(savepoint.manifests());
    }

    /** Records that the savepoint was applied: the cursors are rewound. */
    public void markApplied() throws IOException {
        checkpoints.store().putIfAbsent(markerKey(), Instant.now().toString().getBytes(StandardCharsets.UTF_8));
    }

    private String markerKey() {
        return "applied-savepoints/" + name;
    }
}
