package io.sensorrollup.checkpoint;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one view of the store's checkpoints that the partition's writer, its restore and the savepoint
 * commands share, so that they agree on what is there:
 *
 * <ul>
 * <li>a listing or a manifest read that fails is {@link CheckpointStoreUnavailableException}: a failed read
 *     is never taken as "no such checkpoint";
 * <li>a manifest whose bytes do not decode, or that names another partition or id, is recorded as damage;
 * <li>a manifest deleted between the listing and its read is dropped, unless it was the newest listed: the
 *     newest manifest is never deleted (see {@link Checkpoints#deleteSavepoint}), so a newer one was
 *     committed meanwhile and the partition is listed again.
 * </ul>
 *
 * Each manifest is read once: its key is written with putIfAbsent and never rewritten. Not thread-safe.
 */
final class CheckpointListing {

    private static final int ATTEMPTS = 3;

    private final CheckpointStore store;
    private final ConcurrentTransfers transfers = ConcurrentTransfers.SHARED;
    /** By key, for the keys of the last listing that held them. */
    private final Map<String, Manifest> read = new HashMap<>();

    CheckpointListing(CheckpointStore store) {
        this.store = store;
    }

    PartitionListing partition(PartitionLayout layout) throws CheckpointStoreUnavailableException {
        for (int attempt = 1; ; attempt++) {
            PartitionListing listing = read(layout, list(layout.prefix()));
            if (listing != null) {
                return listing;
            }
            if (attempt == ATTEMPTS) {
                throw new CheckpointStoreUnavailableException("the newest manifest under " + store.describe(layout.prefix())
                        + " was replaced " + ATTEMPTS + " times while it was being read", null);
            }
        }
    }

    /** Every partition of the store, from one listing. */
    Map<Integer, PartitionListing> all() throws CheckpointStoreUnavailableException {
        Map<Integer, List<StoredObject>> byPartition = new TreeMap<>();
        Set<String> keys = new HashSet<>();
        for (StoredObject object : list("partition-")) {
            int partition = PartitionLayout.partitionOf(object.key());
            if (partition >= 0) {
                byPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(object);
                keys.add(object.key());
            }
        }
        read.keySet().retainAll(keys);
        Map<Integer, PartitionListing> all = new TreeMap<>();
        for (Map.Entry<Integer, List<StoredObject>> entry : byPartition.entrySet()) {
            PartitionLayout layout = new PartitionLayout(entry.getKey());
            PartitionListing listing = read(layout, entry.getValue());
            all.put(entry.getKey(), listing != null ? listing : partition(layout));
        }
        return all;
    }

    List<StoredObject> list(String prefix) throws CheckpointStoreUnavailableException {
        try {
            return store.list(prefix);
        } catch (IOException e) {
            throw new CheckpointStoreUnavailableException("listing " + store.describe(prefix) + " failed: " + e.getMessage(), e);
        }
    }

    /** The highest manifest id among {@code objects} of the partition, readable or not; 0 when there is none. */
    static long highestManifestId(PartitionLayout layout, List<StoredObject> objects) {
        long highest = 0;
        for (StoredObject object : objects) {
            String path = layout.path(object.key());
            if (PartitionLayout.isManifest(path)) {
                highest = Math.max(highest, PartitionLayout.checkpointIdOf(path).getAsLong());
            }
        }
        return highest;
    }

    /** A manifest the caller committed: no need to read it back. */
    void remember(String key, Manifest manifest) {
        read.put(key, manifest);
    }

    /** Manifests this view read whose objects were deleted (by the caller): not reported as vanished later. */
    void forget(Collection<String> keys) {
        keys.forEach(read::remove);
    }

    /**
     * The manifests of the listing this view has not read yet, all at once: a pod taking over a partition reads
     * every kept one, and one after another they would add their round trips to the takeover. A manifest deleted
     * since the listing is absent from the result.
     */
    private Map<String, byte[]> fetchUnread(PartitionLayout layout, List<StoredObject> objects)
            throws CheckpointStoreUnavailableException {
        Map<String, byte[]> fetched = new java.util.concurrent.ConcurrentHashMap<>();
        List<ConcurrentTransfers.Transfer> reads = new ArrayList<>();
        for (StoredObject object : objects) {
            if (PartitionLayout.isManifest(layout.path(object.key())) && !read.containsKey(object.key())) {
                reads.add(() -> {
                    try {
                        fetched.put(object.key(), store.getBytes(object.key()));
                    } catch (NoSuchFileException deletedMeanwhile) {
                        // absent
                    } catch (IOException e) {
                        throw new IOException("reading manifest " + store.describe(object.key()) + " failed: " + e.getMessage(), e);
                    }
                });
            }
        }
        try {
            transfers.runAll(reads);
        } catch (IOException e) {
            throw new CheckpointStoreUnavailableException(e.getMessage(), e);
        }
        return fetched;
    }

    /**
     * Reads the manifests of one listing of the partition.
     *
     * @return null when the newest listed manifest was gone when read: list again
     */
    PartitionListing read(PartitionLayout layout, List<StoredObject> objects) throws CheckpointStoreUnavailableException {
        long highest = highestManifestId(layout, objects);
        Set<Long> savepointDeleted = new HashSet<>();
        for (StoredObject object : objects) {
            String path = layout.path(object.key());
            if (path.endsWith("/" + PartitionLayout.SAVEPOINT_DELETED)) {
                PartitionLayout.checkpointIdOf(path).ifPresent(savepointDeleted::add);
            }
        }
        Map<String, byte[]> fetched = fetchUnread(layout, objects);
        TreeMap<Long, Manifest> manifests = new TreeMap<>();
        Map<Long, PartitionListing.Damage> damaged = new TreeMap<>();
        Set<String> listed = new HashSet<>();
        for (StoredObject object : objects) {
            String path = layout.path(object.key());
            if (!PartitionLayout.isManifest(path)) {
                continue;
            }
            long id = PartitionLayout.checkpointIdOf(path).getAsLong();
            listed.add(object.key());
            Manifest manifest = read.get(object.key());
            if (manifest == null) {
                byte[] bytes = fetched.get(object.key());
                if (bytes == null) { // deleted since the listing
                    if (id == highest) {
                        return null;
                    }
                    continue;
                }
                String description = "manifest " + store.describe(object.key());
                try {
                    manifest = ManifestCodec.decode(bytes);
                } catch (IOException e) {
                    damaged.put(id, new PartitionListing.Damage(object.key(), description, e.getMessage()));
                    continue;
                }
                if (manifest.partition() != layout.partition() || manifest.checkpointId() != id) {
                    damaged.put(id, new PartitionListing.Damage(object.key(), description, "it names checkpoint "
                            + manifest.checkpointId() + " of partition " + manifest.partition()));
                    continue;
                }
                read.put(object.key(), manifest);
            }
            manifests.put(id, savepointDeleted.contains(id) ? manifest.asCheckpoint() : manifest);
        }
        List<Manifest> vanished = new ArrayList<>();
        for (Iterator<Map.Entry<String, Manifest>> it = read.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Manifest> entry = it.next();
            if (entry.getKey().startsWith(layout.prefix()) && !listed.contains(entry.getKey())) {
                vanished.add(entry.getValue());
                it.remove();
            }
        }
        return new PartitionListing(layout, objects, highest, manifests, damaged, vanished);
    }
}
