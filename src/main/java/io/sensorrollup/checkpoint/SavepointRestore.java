package io.sensorrollup.checkpoint;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Starting from a savepoint, with every pod stopped: each partition's part of the savepoint is committed
 * again as that partition's newest checkpoint, so the normal restore picks it; the caller then rewinds the
 * source to each part's position and calls {@link #markApplied}. A marker object in the store
 * ({@code applied-savepoints/<name>}, holding which checkpoints the savepoint's parts are) makes a later
 * start-up with the same setting a no-op, like Flink's {@code -s}, which applies to one submission. A
 * savepoint deleted and taken again under the same name has other parts, so it applies again.
 */
public final class SavepointRestore {

    private static final System.Logger LOG = System.getLogger(SavepointRestore.class.getName());

    private final Checkpoints checkpoints;
    private final String name;
    private Savepoint promoted;

    public SavepointRestore(Checkpoints checkpoints, String name) {
        Checkpoints.checkSavepointName(name);
        this.checkpoints = checkpoints;
        this.name = name;
    }

    /**
     * Promotes the savepoint's parts to newest checkpoints; empty when this savepoint was applied before
     * (also when it has been deleted since).
     *
     * @return the parts, whose positions the source must be rewound to
     * @throws IllegalArgumentException when there is no savepoint of that name and none was applied
     */
    public Optional<List<Manifest>> promote(Path scratch) throws IOException, CheckpointConflictException {
        Optional<Savepoint> savepoint = checkpoints.savepoints().stream().filter(s -> s.name().equals(name)).findFirst();
        Optional<String> applied = appliedParts();
        if (applied.isPresent() && (savepoint.isEmpty() || applied.get().equals(parts(savepoint.get())))) {
            LOG.log(Level.INFO, "Savepoint {0} was applied by an earlier start-up: restoring the newest checkpoints", name);
            return Optional.empty();
        }
        Savepoint found = savepoint.orElseThrow(() -> new IllegalArgumentException(
                "no savepoint named " + name + " in the checkpoint store (GET /api/savepoints lists them)"));
        for (Manifest part : found.manifests()) {
            PartitionCheckpointer partition = checkpoints.partition(part.partition());
            Path dir = scratch.resolve("savepoint-" + name + "-partition-" + part.partition());
            partition.restoreSavepoint(name, dir).orElseThrow(() -> new IOException(
                    "savepoint " + name + " of partition " + part.partition() + " was deleted while it was being restored"));
            CompletedCheckpoint again = partition.checkpoint(dir, part.position(), part.watermark());
            LOG.log(Level.INFO, "Partition {0}: savepoint {1} (checkpoint {2}) is now checkpoint {3}",
                    part.partition(), name, part.checkpointId(), again.checkpointId());
        }
        promoted = found;
        return Optional.of(found.manifests());
    }

    /** Records that the promoted savepoint was applied: the source is rewound to its parts' positions. */
    public void markApplied() throws IOException {
        if (promoted == null) {
            throw new IllegalStateException("savepoint " + name + " was not promoted");
        }
        String key = markerKey();
        // a marker of an earlier savepoint of the same name, deleted and taken again since
        checkpoints.store().delete(List.of(key));
        checkpoints.store().putIfAbsent(key, parts(promoted).getBytes(StandardCharsets.UTF_8));
    }

    private Optional<String> appliedParts() throws IOException {
        try {
            return Optional.of(new String(checkpoints.store().getBytes(markerKey()), StandardCharsets.UTF_8));
        } catch (NoSuchFileException never) {
            return Optional.empty();
        }
    }

    /** The savepoint's identity: its parts' checkpoint ids, which a partition never reuses. */
    private static String parts(Savepoint savepoint) {
        return savepoint.manifests().stream().map(m -> m.partition() + ":" + m.checkpointId())
                .collect(Collectors.joining(","));
    }

    private String markerKey() {
        return "applied-savepoints/" + name;
    }
}
