package io.sensorrollup.checkpoint;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;

/**
 * What the store held for one partition at one listing, as {@link CheckpointListing} read it.
 *
 * @param objects           every object under the partition's prefix
 * @param highestManifestId the highest n of a {@code chk-n/_metadata} key, readable or not (0: none): a
 *                          commit must take a higher id
 * @param manifests         the manifests that could be read, by id; a savepoint deleted while it was the
 *                          newest appears as a plain checkpoint
 * @param damaged           manifests whose bytes are not a manifest of this partition and id, by id
 * @param vanished          manifests read by an earlier listing that are gone (deleted savepoints, retention)
 */
record PartitionListing(PartitionLayout layout, List<StoredObject> objects, long highestManifestId,
        NavigableMap<Long, Manifest> manifests, Map<Long, Damage> damaged, List<Manifest> vanished) {

    /** A manifest that does not decode, or names another partition or checkpoint. */
    record Damage(String key, String description, String why) {
        CheckpointDamagedException exception() {
            return new CheckpointDamagedException(key, description, why);
        }
    }

    /**
     * The manifest at the highest id: the partition's newest checkpoint, the one its cursor may have been
     * acknowledged to; empty when the partition has none.
     *
     * @throws CheckpointDamagedException when that manifest is damaged: an older one is no substitute
     */
    Optional<Manifest> newest() throws CheckpointDamagedException {
        Damage damage = damaged.get(highestManifestId);
        if (damage != null) {
            throw damage.exception();
        }
        return Optional.ofNullable(manifests.get(highestManifestId));
    }

    /** The partition's part of savepoint {@code name}, if it has one. */
    Optional<Manifest> savepoint(String name) throws CheckpointDamagedException {
        throwIfDamaged(); // a damaged manifest may be that part
        return manifests.values().stream().filter(m -> m.savepoint().equals(Optional.of(name))).findFirst();
    }

    void throwIfDamaged() throws CheckpointDamagedException {
        if (!damaged.isEmpty()) {
            throw damaged.values().iterator().next().exception();
        }
    }

    /** Path (relative to the partition) → size of every object. */
    Map<String, Long> sizes() {
        Map<String, Long> sizes = new HashMap<>();
        objects.forEach(o -> sizes.put(layout.path(o.key()), o.size()));
        return sizes;
    }
}
