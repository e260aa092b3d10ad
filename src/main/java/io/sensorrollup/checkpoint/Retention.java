package io.sensorrollup.checkpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which objects of a partition may go. Kept: the newest {@code retained} manifests, every savepoint, and
 * every file a kept manifest lists; the set of kept manifests is the only reference count. Deleted: the
 * other manifests and the files only they list, and, once older than {@code strayGrace}, files no
 * manifest lists (uploads of a failed checkpoint, or of one another writer has in flight).
 *
 * <p>The newest manifest is always kept ({@code retained >= 1}): the partition's highest manifest id must
 * never go back, or a writer could commit an id that another writer's upload in flight also holds, and a
 * restore would take an older state than the one the cursor was acknowledged to.
 */
final class Retention {

    /** @param manifestsToDelete to delete first, so no manifest ever points at a deleted file */
    record Plan(List<Manifest> kept, List<String> manifestsToDelete, List<String> filesToDelete) {
    }

    private final int retained;
    private final Duration strayGrace;

    Retention(int retained, Duration strayGrace) {
        if (retained < 1) {
            throw new IllegalArgumentException("at least one checkpoint must be retained: " + retained);
        }
        if (strayGrace.isNegative()) {
            throw new IllegalArgumentException("the stray-file grace period must not be negative: " + strayGrace);
        }
        this.retained = retained;
        this.strayGrace = strayGrace;
    }

    /** The kept manifests of {@code manifests} (any order), newest first. */
    List<Manifest> kept(Iterable<Manifest> manifests) {
        List<Manifest> newestFirst = new ArrayList<>();
        manifests.forEach(newestFirst::add);
        newestFirst.sort(Comparator.comparingLong(Manifest::checkpointId).reversed());
        List<Manifest> kept = new ArrayList<>();
        for (int i = 0; i < newestFirst.size(); i++) {
            if (i < retained || newestFirst.get(i).isSavepoint()) {
                kept.add(newestFirst.get(i));
            }
        }
        return kept;
    }

    /**
     * @param listing   every object under the partition's prefix
     * @param manifests the manifests of the listing, by checkpoint id; the caller plans nothing when one
     *                  could not be read, as it cannot know which files that one lists
     * @param vanished  manifests the caller knew that are gone from the listing (a deleted savepoint):
     *                  their files go at once instead of after the grace period
     */
    Plan plan(PartitionLayout layout, List<StoredObject> listing, Map<Long, Manifest> manifests,
            Collection<Manifest> vanished, Instant now) {
        List<Manifest> kept = kept(manifests.values());
        Set<String> keptPaths = new HashSet<>();
        for (Manifest m : kept) {
            keptPaths.add(PartitionLayout.manifestPath(m.checkpointId()));
            keptPaths.add(PartitionLayout.savepointDeletedPath(m.checkpointId()));
            m.files().forEach(f -> keptPaths.add(f.path()));
        }
        Set<String> droppedPaths = new HashSet<>();
        Set<String> droppedManifests = new HashSet<>();
        for (Manifest m : manifests.values()) {
            if (!kept.contains(m)) {
                droppedManifests.add(PartitionLayout.manifestPath(m.checkpointId()));
                droppedPaths.add(PartitionLayout.savepointDeletedPath(m.checkpointId()));
                m.files().forEach(f -> droppedPaths.add(f.path()));
            }
        }
        vanished.forEach(m -> m.files().forEach(f -> droppedPaths.add(f.path())));
        Instant strayBefore = now.minus(strayGrace);
        List<String> manifestsToDelete = new ArrayList<>();
        List<String> filesToDelete = new ArrayList<>();
        for (StoredObject object : listing) {
            String path = layout.path(object.key());
            if (keptPaths.contains(path)) {
                continue;
            }
            if (droppedManifests.contains(path)) {
                manifestsToDelete.add(object.key());
            } else if (droppedPaths.contains(path) || object.lastModified().isBefore(strayBefore)) {
                filesToDelete.add(object.key());
            }
        }
        return new Plan(kept, manifestsToDelete, filesToDelete);
    }
}
