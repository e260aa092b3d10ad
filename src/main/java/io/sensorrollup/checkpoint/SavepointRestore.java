package io.sensorrollup.checkpoint;

import io.sensorrollup.state.Directories;
import io.sensorrollup.state.StateRepartition;
import io.sensorrollup.state.StateResources;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
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
    private static final String RESCALED_TO = " rescaled to ";

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
        Optional<Savepoint> toApply = notApplied();
        if (toApply.isEmpty()) {
            return Optional.empty();
        }
        Savepoint found = toApply.get();
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

    /**
     * {@link #promote}, into more partitions than the savepoint has: each part is split by
     * {@link StateRepartition}, and every partition of the new count gets the result as its newest checkpoint.
     *
     * @param partitionOfKey the partition a device id's readings go to under the new count
     * @return the new checkpoints; the source must be rewound to those that {@link Manifest#hasPosition()}
     */
    public Optional<List<Manifest>> promoteRescaled(Path scratch, int partitions, ToIntFunction<String> partitionOfKey,
            StateResources resources) throws IOException, CheckpointConflictException {
        Optional<Savepoint> toApply = notApplied();
        if (toApply.isEmpty()) {
            return Optional.empty();
        }
        Savepoint found = toApply.get();
        Map<Integer, Path> old = new TreeMap<>();
        for (Manifest part : found.manifests()) {
            Path dir = scratch.resolve("savepoint-" + name + "-partition-" + part.partition());
            checkpoints.partition(part.partition()).restoreSavepoint(name, dir).orElseThrow(() -> new IOException(
                    "savepoint " + name + " of partition " + part.partition() + " was deleted while it was being restored"));
            old.put(part.partition(), dir);
        }
        Path work = scratch.resolve("rescale");
        Directories.deleteRecursively(work);
        Files.createDirectories(work);
        List<Manifest> promotedParts = new ArrayList<>();
        for (StateRepartition.Part part : StateRepartition.split(old, partitions, partitionOfKey, resources, work)) {
            CompletedCheckpoint again = checkpoints.partition(part.partition()).checkpoint(part.dir(), part.position(),
                    part.watermark());
            promotedParts.add(again.manifest());
            LOG.log(Level.INFO, "Partition {0} of {1}: {2} windows of savepoint {3}, now checkpoint {4}",
                    part.partition(), partitions, part.windows(), name, again.checkpointId());
        }
        promoted = found;
        return Optional.of(List.copyOf(promotedParts));
    }

    /** Records that the promoted savepoint was applied: the source is rewound to its parts' positions. */
    public void markApplied() throws IOException {
        mark(parts(checkPromoted()));
    }

    /**
     * {@link #markApplied} after {@link #promoteRescaled}: a start-up that stops before it records the new
     * partition count finds here that the rescale itself is done.
     */
    public void markRescaled(int partitions) throws IOException {
        mark(parts(checkPromoted()) + RESCALED_TO + partitions);
    }

    /** The partition count an earlier start-up rescaled this savepoint to; empty when it applied it as it was. */
    public OptionalInt rescaledTo() throws IOException {
        Optional<String> marker = appliedMarker();
        int at = marker.map(m -> m.indexOf(RESCALED_TO)).orElse(-1);
        return at < 0 ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(marker.get().substring(at + RESCALED_TO.length())));
    }

    private Savepoint checkPromoted() {
        if (promoted == null) {
            throw new IllegalStateException("savepoint " + name + " was not promoted");
        }
        return promoted;
    }

    private void mark(String content) throws IOException {
        String key = markerKey();
        // a marker of an earlier savepoint of the same name, deleted and taken again since
        checkpoints.store().delete(List.of(key));
        checkpoints.store().putIfAbsent(key, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether an earlier start-up applied this savepoint (also when it has been deleted since). */
    public boolean wasApplied() throws IOException {
        Optional<Savepoint> savepoint = checkpoints.savepoints().stream().filter(s -> s.name().equals(name)).findFirst();
        Optional<String> applied = appliedParts();
        return applied.isPresent() && (savepoint.isEmpty() || applied.get().equals(parts(savepoint.get())));
    }

    /** The savepoint, unless an earlier start-up applied it. */
    private Optional<Savepoint> notApplied() throws IOException {
        if (wasApplied()) {
            LOG.log(Level.INFO, "Savepoint {0} was applied by an earlier start-up: restoring the newest checkpoints", name);
            return Optional.empty();
        }
        Optional<Savepoint> savepoint = checkpoints.savepoints().stream().filter(s -> s.name().equals(name)).findFirst();
        return Optional.of(savepoint.orElseThrow(() -> new IllegalArgumentException(
                "no savepoint named " + name + " in the checkpoint store (GET /api/savepoints lists them)")));
    }

    private Optional<String> appliedParts() throws IOException {
        return appliedMarker().map(m -> m.contains(RESCALED_TO) ? m.substring(0, m.indexOf(RESCALED_TO)) : m);
    }

    private Optional<String> appliedMarker() throws IOException {
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
