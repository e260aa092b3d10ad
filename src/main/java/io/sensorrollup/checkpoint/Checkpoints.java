package io.sensorrollup.checkpoint;

import java.io.IOException;
import java.lang.System.Logger.Level;
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
    private static final Pattern PARTITION_MANIFEST = Pattern.compile("partition-(\\d{1,9})/chk-\\d{1,18}/_metadata");

    private final CheckpointStore store;
    private final Retention retention;
    private final Clock clock;

    public Checkpoints(CheckpointStore store) {
        this(store, DEFAULT_RETAINED, DEFAULT_STRAY_GRACE, Clock.systemUTC());
    }

    /**
     * @param retained   completed checkpoints kept per partition, besides savepoints
     * @param strayGrace how old a file no manifest lists must be before it is deleted: longer than any
     *                   checkpoint's upload takes, so a checkpoint in flight is never robbed
     * @param clock      for manifests' creation time and the grace period
     */
    public Checkpoints(CheckpointStore store, int retained, Duration strayGrace, Clock clock) {
        this.store = store;
        this.retention = new Retention(retained, strayGrace);
        this.clock = clock;
    }

    public CheckpointStore store() {
        return store;
    }

    /** A new handle on the partition's checkpoints, for as long as this pod owns the partition. */
    public PartitionCheckpointer partition(int partition) {
        return new PartitionCheckpointer(store, partition, retention, clock);
    }

    /** Every savepoint in the store, by name. */
    public List<Savepoint> savepoints() throws IOException {
        Map<String, List<Manifest>> byName = new TreeMap<>();
        for (Map.Entry<String, Manifest> entry : savepointManifests(Optional.empty()).entrySet()) {
            byName.computeIfAbsent(entry.getValue().savepoint().orElseThrow(), n -> new ArrayList<>()).add(entry.getValue());
        }
        List<Savepoint> savepoints = new ArrayList<>();
        byName.forEach((name, manifests) -> {
            manifests.sort(Comparator.comparingInt(Manifest::partition));
            savepoints.add(new Savepoint(name, manifests));
        });
        return savepoints;
    }

    /**
     * Deletes every partition's part of savepoint {@code name}: its manifest first, then its
     * {@code chk-n} directory.
     *
     * @return the number of partitions that had a part of it
     */
    public int deleteSavepoint(String name) throws IOException {
        checkSavepointName(name);
        Map<String, Manifest> manifests = savepointManifests(Optional.of(name));
        store.delete(manifests.keySet());
        for (Map.Entry<String, Manifest> entry : manifests.entrySet()) {
            PartitionLayout layout = new PartitionLayout(entry.getValue().partition());
            String dir = layout.key(PartitionLayout.checkpointDir(entry.getValue().checkpointId()));
            store.delete(store.list(dir).stream().map(StoredObject::key).toList());
        }
        LOG.log(Level.INFO, "Deleted savepoint {0} ({1} partitions)", name, manifests.size());
        return manifests.size();
    }

    /** Savepoint manifests by key, all of them or those named {@code name}. */
    private Map<String, Manifest> savepointManifests(Optional<String> name) throws IOException {
        Map<String, Manifest> found = new TreeMap<>();
        for (StoredObject object : store.list("partition-")) {
            if (!PARTITION_MANIFEST.matcher(object.key()).matches()) {
                continue;
            }
            Manifest manifest;
            try {
                manifest = ManifestCodec.decode(store.getBytes(object.key()));
            } catch (java.nio.file.NoSuchFileException deletedMeanwhile) {
                continue;
            } catch (IOException unreadable) {
                LOG.log(Level.WARNING, "Manifest " + store.describe(object.key()) + " is unreadable: "
                        + unreadable.getMessage());
                continue;
            }
            if (manifest.savepoint().isPresent() && (name.isEmpty() || manifest.savepoint().equals(name))) {
                found.put(object.key(), manifest);
            }
        }
        return found;
    }

    static void checkSavepointName(String name) {
        if (name == null || !SAVEPOINT_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a savepoint name is 1-100 letters, digits, '.', '_' or '-': " + name);
        }
    }
}
