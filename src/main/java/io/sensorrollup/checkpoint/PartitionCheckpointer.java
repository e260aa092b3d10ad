package io.sensorrollup.checkpoint;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The checkpoints of one partition, for as long as this pod owns it: get one from
 * {@link Checkpoints#partition(int)} when the partition is handed to the pod, {@link #restore} first,
 * then {@link #checkpoint} every interval, and drop it when the partition goes (or on
 * {@link CheckpointConflictException}). One thread at a time (the partition's serial queue); the methods
 * are synchronized only so that a mistake there cannot corrupt its memory.
 *
 * <p>The commit protocol (Delta Lake's log is the model): manifest ids are dense. A writer's next id is one
 * more than the highest manifest id it knows (the one it restored or committed last), and a failed attempt
 * leaves its id to the next. The manifest is put with putIfAbsent, so an old owner's commit of n and a new
 * owner's claim of n race for one key and exactly one wins. A writer whose put succeeded then lists the
 * partition: a higher manifest means its own id had been used and deleted by retention before (its view
 * was stale), and it too has lost. Only then may the caller acknowledge. This holds because the newest
 * manifest of a partition is never deleted, so the highest id never goes back.
 */
public final class PartitionCheckpointer {

    private static final System.Logger LOG = System.getLogger(PartitionCheckpointer.class.getName());
    private static final int RESTORE_ATTEMPTS = 3;

    private final PartitionLayout layout;
    private final Retention retention;
    private final Clock clock;
    private final String owner;
    private final CheckpointStore store;
    private final CheckpointListing view;
    private final ManifestCommit commit;
    private final CheckpointUpload upload;
    private final CheckpointRestore restorer;

    /** The kept manifests as of the last listing, plus the ones committed since, newest first. */
    private List<Manifest> kept = List.of();
    /** Path → size of the partition's objects as of the last listing, plus uploads, minus deletions. */
    private Map<String, Long> storedSizes = new HashMap<>();
    /** The manifest restored from until the first checkpoint commits: its files may be reused. */
    private Manifest restored;
    private boolean listed;
    /** The highest manifest id this writer knows of: its next checkpoint is this + 1. */
    private long newestId;
    private CheckpointConflictException lost;
    private boolean handedOver;

    PartitionCheckpointer(CheckpointStore store, int partition, Retention retention, Clock clock, String owner) {
        this.store = store;
        this.owner = owner;
        this.layout = new PartitionLayout(partition);
        this.retention = retention;
        this.clock = clock;
        this.view = new CheckpointListing(store);
        this.commit = new ManifestCommit(store);
        this.upload = new CheckpointUpload(store, layout, ConcurrentTransfers.SHARED);
        this.restorer = new CheckpointRestore(store, layout, ConcurrentTransfers.SHARED);
    }

    public int partition() {
        return layout.partition();
    }

    /**
     * Uploads the RocksDB checkpoint in {@code localCheckpointDir} as the partition's next checkpoint,
     * then applies retention. When it returns, the checkpoint is durable and the newest of the partition:
     * the source may ack up to {@code position}. The directory is only read; the caller deletes it afterwards.
     *
     * @param position  the source's position (its MessageId bytes) covered by this state
     * @param watermark the partition's watermark in this state
     * @throws CheckpointConflictException another writer owns the partition: drop it, never acknowledge
     * @throws IOException the store or the directory failed; nothing is acknowledgeable, try again later
     *     with this handle (its next attempt first settles a manifest put whose outcome was unknown)
     */
    public synchronized CompletedCheckpoint checkpoint(Path localCheckpointDir, byte[] position, long watermark)
            throws IOException, CheckpointConflictException {
        return take(localCheckpointDir, position, watermark, Optional.empty(), false, true);
    }

    /**
     * Like {@link #checkpoint}, as this writer's last: the pod stops gracefully and commits nothing after it, which
     * the manifest says (the next owner's log then knows how long the partition stood still). Its retention is left
     * to the next owner, off the hand-over's path.
     */
    public synchronized CompletedCheckpoint handOver(Path localCheckpointDir, byte[] position, long watermark)
            throws IOException, CheckpointConflictException {
        CompletedCheckpoint last = take(localCheckpointDir, position, watermark, Optional.empty(), true, false);
        handedOver = true;
        return last;
    }

    /**
     * Like {@link #checkpoint}, as a new owner's first: committing the restored state again under the next id fences
     * the previous owner's checkpoints still in flight. It stands between the partition and its first reading, so
     * its retention is left to the next checkpoint.
     */
    public synchronized CompletedCheckpoint claim(Path localCheckpointDir, byte[] position, long watermark)
            throws IOException, CheckpointConflictException {
        return take(localCheckpointDir, position, watermark, Optional.empty(), false, false);
    }

    /**
     * Like {@link #checkpoint}, but the checkpoint is kept until {@link Checkpoints#deleteSavepoint}
     * deletes every partition's part of {@code name}. It is a checkpoint like any other: the source may
     * ack up to {@code position}, and the next checkpoint shares its files.
     *
     * @param name letters, digits, {@code .}, {@code _} and {@code -}; unique per partition
     */
    public synchronized CompletedCheckpoint savepoint(String name, Path localCheckpointDir, byte[] position,
            long watermark) throws IOException, CheckpointConflictException {
        Checkpoints.checkSavepointName(name);
        ensureListed();
        if (kept.stream().anyMatch(m -> m.savepoint().equals(Optional.of(name)))) {
            throw new IllegalArgumentException("partition " + partition() + " already has savepoint " + name);
        }
        return take(localCheckpointDir, position, watermark, Optional.of(name), false, true);
    }

    /**
     * Puts the partition's newest checkpoint into {@code targetDir}, which then holds exactly that
     * checkpoint's files (see {@link CheckpointRestore}). It is the newest or nothing: never an older one.
     *
     * @return empty, leaving {@code targetDir} untouched, when the partition has no checkpoint
     * @throws CheckpointStoreUnavailableException the store did not answer (a listing, a manifest, a file):
     *     nothing is known, wait and retry
     * @throws CheckpointDamagedException the newest manifest, or a file it lists, is unusable: report it,
     *     do not claim the partition
     */
    public synchronized Optional<RestoredCheckpoint> restore(Path targetDir) throws IOException {
        return restoreNewest(targetDir, PartitionListing::newest, "checkpoint");
    }

    /** {@link #restore}, from the partition's part of savepoint {@code name}; empty when it has none. */
    public synchronized Optional<RestoredCheckpoint> restoreSavepoint(String name, Path targetDir) throws IOException {
        Checkpoints.checkSavepointName(name);
        return restoreNewest(targetDir, listing -> listing.savepoint(name), "savepoint " + name);
    }

    private CompletedCheckpoint take(Path dir, byte[] position, long watermark, Optional<String> savepoint,
            boolean handOver, boolean retain) throws IOException, CheckpointConflictException {
        if (lost != null) {
            throw lost;
        }
        if (handedOver) {
            throw new IllegalStateException("partition " + partition() + " was handed over: this writer commits no more");
        }
        long started = System.nanoTime();
        ensureListed();
        settlePendingCommit();
        long id = newestId + 1;
        CheckpointUpload.Result files = upload.upload(dir, id, reusablePaths(), storedSizes);
        CrashPoint.beforeManifest(partition(), id);
        Manifest manifest = new Manifest(partition(), id, clock.instant(), position, watermark, savepoint, files.files(), owner, handOver);
        String key = layout.key(PartitionLayout.manifestPath(id));
        if (commit.put(id, key, ManifestCodec.encode(manifest)) == ManifestCommit.Outcome.TAKEN) {
            throw lose(id, key + " was written by another writer: another pod owns the partition");
        }
        newestId = id;
        List<StoredObject> objects = verifyNewest(id, key);
        view.remember(key, manifest);
        storedSizes.putAll(files.uploaded());
        List<Manifest> nowKept = new ArrayList<>(kept);
        nowKept.add(manifest);
        kept = retention.kept(nowKept);
        restored = null;
        upload.committed(files.files());

        int deleted = retain ? applyRetention(objects) : 0;
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        LOG.log(Level.INFO, "Completed {0} for partition {1} in {2}: uploaded {3} ({4}), reused {5} ({6})",
                savepoint.map(s -> "savepoint " + s + " (checkpoint " + id + ")").orElse("checkpoint " + id),
                partition(), LogFormat.duration(took), LogFormat.files(files.uploaded().size()),
                LogFormat.bytes(files.bytesUploaded()), LogFormat.files(files.filesReused()),
                LogFormat.bytes(files.bytesReused()));
        return new CompletedCheckpoint(manifest, where(PartitionLayout.checkpointDir(id)), files.uploaded().size(),
                files.bytesUploaded(), files.filesReused(), files.bytesReused(), deleted, took);
    }

    /** A put of an earlier attempt whose outcome was unknown is settled before anything else. */
    private void settlePendingCommit() throws CheckpointStoreUnavailableException, CheckpointConflictException {
        OptionalLong pending = commit.pendingId();
        if (pending.isEmpty()) {
            return;
        }
        switch (commit.settle()) {
            // ours, never acknowledged: the next checkpoint follows it
            case COMMITTED -> newestId = Math.max(newestId, pending.getAsLong());
            case TAKEN -> throw lose(pending.getAsLong(), "another writer committed checkpoint " + pending.getAsLong()
                    + " while this writer's put of it went unanswered");
            case NOT_STORED -> { }
        }
    }

    /**
     * After our put of {@code id} succeeded: a higher manifest means the key was free only because
     * retention had deleted an older writer's manifest {@code id}. Ours is then not the newest; it is taken
     * back (which lowers no id, as a higher one exists) and this writer has lost.
     *
     * @return the listing, for retention
     */
    private List<StoredObject> verifyNewest(long id, String key) throws IOException, CheckpointConflictException {
        List<StoredObject> objects;
        try {
            objects = view.list(layout.prefix());
        } catch (CheckpointStoreUnavailableException e) {
            throw new CheckpointStoreUnavailableException("checkpoint " + id + " of partition " + partition()
                    + " is stored, but whether it is the newest is unknown, so it must not be acknowledged: "
                    + e.getMessage(), e);
        }
        long highest = CheckpointListing.highestManifestId(layout, objects);
        if (highest > id) {
            try {
                store.delete(List.of(key));
            } catch (IOException e) {
                LOG.log(Level.WARNING, "Could not delete the stale manifest " + store.describe(key) + "; retention does", e);
            }
            throw lose(id, "checkpoint " + highest + " is newer: another pod owns the partition");
        }
        return objects;
    }

    private CheckpointConflictException lose(long id, String why) {
        lost = new CheckpointConflictException(partition(), id, why);
        LOG.log(Level.WARNING, lost.getMessage() + "; this pod no longer checkpoints the partition");
        return lost;
    }

    /** A directory of the partition, as the store names it, without a trailing slash. */
    private String where(String path) {
        return store.describe(layout.key(path)).replaceAll("/+$", "");
    }

    /** Shared files a kept manifest lists (or the restored one, until the first checkpoint commits). */
    private Set<String> reusablePaths() {
        Set<String> paths = new HashSet<>();
        for (Manifest m : kept) {
            m.files().forEach(f -> paths.add(f.path()));
        }
        if (restored != null) {
            restored.files().forEach(f -> paths.add(f.path()));
        }
        paths.removeIf(p -> !p.startsWith("shared/"));
        return paths;
    }

    /**
     * Deletes what retention allows, manifests first. A failure here does not undo the checkpoint, which
     * is committed and the newest: it is logged, and the next checkpoint tries again.
     *
     * @return objects deleted
     */
    private int applyRetention(List<StoredObject> objects) {
        try {
            PartitionListing listing = view.read(layout, objects);
            if (listing == null) {
                return 0; // our manifest is gone already: nothing to plan on
            }
            if (!listing.damaged().isEmpty()) {
                LOG.log(Level.WARNING, "Partition {0}: {1} damaged manifest(s) under {2}, e.g. {3}; deleting nothing"
                        + " until they are removed", partition(), listing.damaged().size(), where(""),
                        listing.damaged().values().iterator().next().exception().getMessage());
                return 0;
            }
            Retention.Plan plan = retention.plan(layout, objects, listing.manifests(), listing.vanished(), clock.instant());
            store.delete(plan.manifestsToDelete());
            view.forget(plan.manifestsToDelete());
            store.delete(plan.filesToDelete());
            plan.manifestsToDelete().forEach(key -> storedSizes.remove(layout.path(key)));
            plan.filesToDelete().forEach(key -> storedSizes.remove(layout.path(key)));
            kept = plan.kept();
            return plan.manifestsToDelete().size() + plan.filesToDelete().size();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Retention of partition " + partition() + " failed; the next checkpoint tries again", e);
            return 0;
        }
    }

    private void ensureListed() throws IOException {
        if (!listed) {
            learn(view.partition(layout));
        }
    }

    /** Takes what a fresh listing says as this writer's view of the partition. */
    private void learn(PartitionListing listing) {
        storedSizes = listing.sizes();
        kept = retention.kept(listing.manifests().values());
        newestId = Math.max(newestId, listing.highestManifestId());
        listed = true;
    }

    private interface Choice {
        Optional<Manifest> of(PartitionListing listing) throws CheckpointDamagedException;
    }

    private Optional<RestoredCheckpoint> restoreNewest(Path targetDir, Choice choice, String what) throws IOException {
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            PartitionListing listing = view.partition(layout);
            learn(listing);
            Optional<Manifest> chosen = choice.of(listing);
            if (chosen.isEmpty()) {
                LOG.log(Level.INFO, "Partition {0} has no {1} in {2}", partition(), what, where(""));
                return Optional.empty();
            }
            Manifest manifest = chosen.get();
            CheckpointRestore.Transfer transfer;
            try {
                transfer = restorer.materialize(manifest, listing.sizes(), targetDir);
            } catch (CheckpointDamagedException damaged) {
                // a newer checkpoint may have replaced this one meanwhile (the previous owner runs on, and its
                // retention deleted the files): damage only if it is still the one to restore
                Optional<Manifest> now = choice.of(view.partition(layout));
                if (now.isPresent() && now.get().checkpointId() == manifest.checkpointId()) {
                    throw damaged;
                }
                if (attempt == RESTORE_ATTEMPTS) {
                    throw new CheckpointStoreUnavailableException("the " + what + " of partition " + partition()
                            + " was replaced " + attempt + " times while it was being restored", damaged);
                }
                LOG.log(Level.INFO, "Partition {0}: checkpoint {1} was replaced while it was restored; restoring the newer one",
                        partition(), manifest.checkpointId());
                continue;
            }
            upload.restored(targetDir, manifest);
            restored = manifest;
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            String location = where(PartitionLayout.checkpointDir(manifest.checkpointId()));
            LOG.log(Level.INFO, "Restored partition {0} from {1} ({2}) in {3}: downloaded {4} ({5}), reused {6} already local",
                    partition(), manifest.savepoint().map(s -> "savepoint " + s + " (checkpoint "
                            + manifest.checkpointId() + ")").orElse("checkpoint " + manifest.checkpointId()),
                    location, LogFormat.duration(took), LogFormat.files(transfer.downloaded()),
                    LogFormat.bytes(transfer.bytesDownloaded()), LogFormat.files(transfer.reused()));
            return Optional.of(new RestoredCheckpoint(manifest, location, transfer.downloaded(), transfer.bytesDownloaded(),
                    transfer.reused(), took));
        }
    }
}
