package io.sensorrollup.checkpoint;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** What a store holds for a partition, read straight from the store, for tests to check against. */
final class StoredManifests {

    private StoredManifests() {
    }

    /** The partition's manifests, oldest first. */
    static List<Manifest> of(CheckpointStore store, int partition) throws IOException {
        List<Manifest> manifests = new ArrayList<>();
        for (StoredObject object : store.list("partition-" + partition + "/")) {
            if (object.key().endsWith("/_metadata")) {
                manifests.add(ManifestCodec.decode(store.getBytes(object.key())));
            }
        }
        manifests.sort(Comparator.comparingLong(Manifest::checkpointId));
        return manifests;
    }

    static Optional<Manifest> newest(CheckpointStore store, int partition) throws IOException {
        List<Manifest> all = of(store, partition);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** Files of the manifest that are missing from the store or have other content. */
    static List<String> damage(CheckpointStore store, Manifest manifest, Path scratch) throws IOException {
        List<String> damage = new ArrayList<>();
        for (CheckpointFile file : manifest.files()) {
            if (file.isEmpty()) {
                continue;
            }
            Path copy = scratch.resolve("verify");
            try {
                store.get("partition-" + manifest.partition() + "/" + file.path(), copy);
                if (!ContentDigests.sha256(copy).equals(file.sha256())) {
                    damage.add(file.path() + " has other content");
                }
            } catch (NoSuchFileException e) {
                damage.add(file.path() + " is missing");
            }
        }
        return damage;
    }
}
