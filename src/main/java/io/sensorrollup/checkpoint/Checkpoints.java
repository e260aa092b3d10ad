package io.sensorrollup.checkpoint;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The checkpoints of every partition in one store: hands out a {@link PartitionCheckpointer} per owned
 * partition, and lists and deletes savepoints across partitions.
 *
 * <p>A savepoint is the set of per-partition manifests that carry its name (each partition takes its part
 * on its own, as it checkpoints on its own); deleting it deletes those manifests and their
 * {@code chk-n} directories, and each partition's next retention deletes the shared files no kept
 * checkpoint lists any more. Deleting shared files from here could race with the owner's checkpoint
 * that is reusing them.
 */
public final class Checkpoints {

    public static final int DEFAULT_RETAINED = 3;
    public static final Duration DEFAULT_STRAY_GRACE = Duration.ofMinutes(10);

    private static final System.Logger LOG = System.getLogger(Checkpoints.class.getName());
    private static final Pattern SAVEPOINT_NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private final CheckpointStore store;
    private final Retention retention;
    private final Clock clock;
    private final String owner;
    private final CheckpointListing view;

    public Checkpoints(CheckpointStore store) {
        this(store, DEFAULT_RETAINED, DEFAULT_STRAY_GRACE, Clock.systemUTC(), "");
    }

    public Checkpoints(CheckpointStore store, int retained, Duration strayGrace, Clock clock) {
        this(store, retained, strayGrace, clock, "");
    }

    /**
     * @param retained   completed checkpoints kept per partition, besides savepoints
     * @param strayGrace how old a file no manifest lists must be before it is deleted: longer than any
     *                   checkpoint's upload takes, so a checkpoint in flight is never robbed
     * @param clock      for manifests' creation time and the grace period
     * @param owner      this pod's name, written into the manifests it commits
     */
    public Checkpoints(CheckpointStore store, int retained, Duration strayGrace, Clock clock, String owner) {
        this.store = store;
        this.owner = owner;
        this.retention = new Retention(retained, strayGrace);
        this.clock = clock;
        this.view = new CheckpointListing(store);
    }

    public CheckpointStore store() {
        return store;
    }

    /** This pod's name. */
    public String owner() {
        return owner;
    }

    /** A new handle on the partition's checkpoints, for as long as this pod owns the partition. */
    public PartitionCheckpointer partition(int partition) {
        return new PartitionCheckpointer(store, partition, retention, clock, owner);
    }

    /**
     * Every savepoint in the store, by name.
     *
     * @throws CheckpointStoreUnavailableException a listing or a manifest could not be read: a list without
     *     that manifest could miss a savepoint's part
     * @throws CheckpointDamagedException a manifest is damaged (it could be a savepoint's part)
     */
    public synchronized List<Savepoint> savepoints() throws IOException {
        Map<String, List<Manifest>> byName = new TreeMap<>();
        for (Part part : savepointParts(Optional.empty())) {
            byName.computeIfAbsent(part.manifest().savepoint().orElseThrow(), n -> new ArrayList<>()).add(part.manifest());
        }
        List<Savepoint> savepoints = new ArrayList<>();
        byName.forEach((name, manifests) -> {
            manifests.sort(Comparator.comparingInt(Manifest::partition));
            savepoints.add(new Savepoint(name, manifests));
        });
        return savepoints;
    }

    /**
     * The partitions that have their part of savepoint {@code name}.
     *
     * @throws CheckpointStoreUnavailableException a listing or a manifest could not be read
     */
    public synchronized java.util.SortedSet<Integer> savepointPartitions(String name) throws IOException {
        checkSavepointName(name);
        java.util.SortedSet<Integer> partitions = new java.util.TreeSet<>();
        for (Part part : savepointParts(Optional.of(name))) {
            partitions.add(part.manifest().partition());
        }
        return partitions;
    }

    /**
     * Deletes every partition's part of savepoint {@code name}: its manifest first, then its
     * {@code chk-n} directory.
     *
     * <p>A part that is its partition's newest manifest is not deleted but marked deleted: it no longer
     * counts as a savepoint, and retention deletes it once newer checkpoints replace it. The newest manifest
     * is the state the partition's cursor may be acknowledged to, and its id is the one the next commit
     * must exceed: deleted, a new owner would restore an older state and could commit an id that the old
     * owner's upload in flight also holds, so neither would be fenced. A part that is not the newest can
     * never become it again (ids only grow), so deleting it is safe whatever a writer does meanwhile.
     *
     * @return the number of partitions that had a part of it
     */
    public synchronized int deleteSavepoint(String name) throws IOException {
        checkSavepointName(name);
        List<Part> parts = savepointParts(Optional.of(name));
        int marked = 0;
        for (Part part : parts) {
            PartitionLayout layout = part.listing().layout();
            long id = part.manifest().checkpointId();
            if (id == part.listing().highestManifestId()) {
                store.putIfAbsent(layout.key(PartitionLayout.savepointDeletedPath(id)), name.getBytes(StandardCharsets.UTF_8));
                marked++;
                continue;
            }
            String manifestKey = layout.key(PartitionLayout.manifestPath(id));
            store.delete(List.of(manifestKey));
            view.forget(List.of(manifestKey));
            store.delete(store.list(layout.key(PartitionLayout.checkpointDir(id))).stream().map(StoredObject::key).toList());
        }
        LOG.log(Level.INFO, "Deleted savepoint {0} ({1} partitions{2})", name, parts.size(),
                marked == 0 ? "" : "; " + marked + " of them the newest checkpoint of their partition, kept as such until replaced");
        return parts.size();
    }

    private record Part(PartitionListing listing, Manifest manifest) {
    }

    /** Every partition's part of the savepoints, all of them or those named {@code name}. */
    private List<Part> savepointParts(Optional<String> name) throws IOException {
        List<Part> parts = new ArrayList<>();
        for (PartitionListing listing : view.all().values()) {
            listing.throwIfDamaged();
            for (Manifest manifest : listing.manifests().values()) {
                if (manifest.savepoint().isPresent() && (name.isEmpty() || manifest.savepoint().equals(name))) {
                    parts.add(new Part(listing, manifest));
                }
            }
        }
        return parts;
    }

    public static void checkSavepointName(String name) {
        if (name == null || !SAVEPOINT_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a savepoint name is 1-100 letters, digits, '.', '_' or '-': " + name);
        }
    }
}
