package io.sensorrollup.checkpoint;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The checkpoints of one partition, for as long as this pod owns it: get one from
 * {@link Checkpoints#partition(int)} when the partition is handed to the pod, {@link #restore} first,
 * then {@link #checkpoint} every interval, and drop it when the partition goes (or on
 * {@link CheckpointConflictException}). It remembers the manifests it knows, so a checkpoint uploads only
 * the SST files no kept checkpoint holds yet. One thread at a time (the partition's serial queue); the
 * methods are synchronized only so that a mistake there cannot corrupt its memory.
 */
public final class PartitionCheckpointer {

    private static final System.Logger LOG = System.getLogger(PartitionCheckpointer.class.getName());
    private static final String DOWNLOAD_SUFFIX = ".download";

    private final CheckpointStore store;
    private final PartitionLayout layout;
    private final Retention retention;
    private final Clock clock;

    /** Read once each: a manifest is never rewritten, as its key is written with putIfAbsent. */
    private final Map<String, Manifest> manifestsByPath = new HashMap<>();
    private ContentDigests digests = new ContentDigests();
    /** The kept manifests as of the last listing, plus the ones committed since, newest first. */
    private List<Manifest> kept = List.of();
    /** Path → size of the partition's objects as of the last listing, plus uploads, minus deletions. */
    private final Map<String, Long> storedSizes = new HashMap<>();
    /** The manifest restored from until the first checkpoint commits: its files may be reused. */
    private Manifest restored;
    private boolean listed;
    /** The last checkpoint id taken by this writer or seen in the store when first listed; ids start at 1. */
    private long lastId = 0;
    /** The highest checkpoint id in the store when this writer first listed it. */
    private long firstListedId = 0;
    /** Ids whose manifest this writer tried to put: one can be stored even when its put reported a failure. */
    private final Set<Long> manifestTriedHere = new HashSet<>();
    private CheckpointConflictException lost;

    PartitionCheckpointer(CheckpointStore store, int partition, Retention retention, Clock clock) {
        this.store = store;
        this.layout = new PartitionLayout(partition);
        this.retention = retention;
        this.clock = clock;
    }

    public int partition() {
        return layout.partition();
    }

    /**
     * Uploads the RocksDB checkpoint in {@code localCheckpointDir} as the partition's next checkpoint,
     * then applies retention. When it returns, the checkpoint is durable and the source may ack up to
     * {@code position}. The directory is only read; the caller deletes it afterwards.
     *
     * @param position  the source's position (its MessageId bytes) covered by this state
     * @param watermark the partition's watermark in this state
     * @throws CheckpointConflictException another writer owns the partition: drop it
     * @throws IOException the store or the directory failed; nothing was committed, try again later
     */
    public synchronized CompletedCheckpoint checkpoint(Path localCheckpointDir, byte[] position, long watermark)
            throws IOException, CheckpointConflictException {
        return take(localCheckpointDir, position, watermark, Optional.empty());
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
        return take(localCheckpointDir, position, watermark, Optional.of(name));
    }

    /**
     * Puts the partition's newest complete checkpoint (every file present with its size; a
     * {@code chk-n} without manifest is no checkpoint) into {@code targetDir}, which then holds exactly
     * that checkpoint's files: files it already holds with the right content are kept, others are
     * downloaded, and files that are not part of the checkpoint are deleted (a stale WAL would be
     * replayed on open). A checkpoint whose download turns out corrupt is skipped like an incomplete one.
     *
     * @return empty, leaving {@code targetDir} untouched, when the partition has no complete checkpoint
     */
    public synchronized Optional<RestoredCheckpoint> restore(Path targetDir) throws IOException {
        return restoreNewest(targetDir, m -> true, "checkpoint");
    }

    /** {@link #restore}, from the partition's part of savepoint {@code name}; empty when it has none. */
    public synchronized Optional<RestoredCheckpoint> restoreSavepoint(String name, Path targetDir) throws IOException {
        Checkpoints.checkSavepointName(name);
        return restoreNewest(targetDir, m -> m.savepoint().equals(Optional.of(name)), "savepoint " + name);
    }

    private CompletedCheckpoint take(Path dir, byte[] position, long watermark, Optional<String> savepoint)
            throws IOException, CheckpointConflictException {
        if (lost != null) {
            throw lost;
        }
        long started = System.nanoTime();
        ensureListed();
        long id = ++lastId; // a failed attempt leaves its id behind: ids are never reused
        Set<String> reusable = reusablePaths();
        List<CheckpointFile> files = new ArrayList<>();
        Map<String, Long> uploaded = new HashMap<>();
        int filesReused = 0;
        long bytesReused = 0;
        long bytesUploaded = 0;
        for (Path file : localFiles(dir)) {
            String name = file.getFileName().toString();
            long size = Files.size(file);
            if (size == 0) {
                files.add(CheckpointFile.empty(name));
                continue;
            }
            String sha256 = digests.of(file);
            String path = PartitionLayout.storedPath(id, name, sha256);
            files.add(new CheckpointFile(name, path, size, sha256));
            if (reusable.contains(path) && storedSizes.getOrDefault(path, -1L) == size) {
                filesReused++;
                bytesReused += size;
            } else {
                store.put(layout.key(path), file);
                uploaded.put(path, size);
                bytesUploaded += size;
            }
        }
        CrashPoint.beforeManifest(partition(), id);
        Manifest manifest = new Manifest(partition(), id, clock.instant(), position, watermark, savepoint, files);
        String manifestPath = PartitionLayout.manifestPath(id);
        manifestTriedHere.add(id);
        // the store answers true for a put whose response was lost but whose object holds our bytes
        if (!store.putIfAbsent(layout.key(manifestPath), ManifestCodec.encode(manifest))) {
            lost = new CheckpointConflictException(partition(), id,
                    layout.key(manifestPath) + " was written by another writer: another pod owns the partition");
            throw lost;
        }
        storedSizes.putAll(uploaded);
        manifestsByPath.put(manifestPath, manifest);
        List<Manifest> nowKept = new ArrayList<>(kept);
        nowKept.add(manifest);
        kept = retention.kept(nowKept);
        restored = null;
        digests.retainOnly(files.stream().map(CheckpointFile::name).collect(Collectors.toSet()));

        int deleted = applyRetention();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        String location = where(PartitionLayout.checkpointDir(id));
        LOG.log(Level.INFO, "Completed {0} for partition {1} in {2}: uploaded {3} ({4}), reused {5} ({6})",
                savepoint.map(s -> "savepoint " + s + " (checkpoint " + id + ")").orElse("checkpoint " + id),
                partition(), LogFormat.duration(took), LogFormat.files(uploaded.size()),
                LogFormat.bytes(bytesUploaded), LogFormat.files(filesReused), LogFormat.bytes(bytesReused));
        return new CompletedCheckpoint(manifest, location, uploaded.size(), bytesUploaded, filesReused, bytesReused,
                deleted, took);
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

    private static List<Path> localFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                if (!Files.isRegularFile(entry)) {
                    throw new IOException(entry + " is not a regular file: a RocksDB checkpoint directory is flat");
                }
                files.add(entry);
            }
        }
        if (files.isEmpty()) {
            throw new IOException(dir + " is empty: not a RocksDB checkpoint");
        }
        files.sort(Comparator.comparing(Path::getFileName));
        return files;
    }

    /**
     * Deletes what retention allows, manifests first. A failure here does not undo the checkpoint, which
     * is committed: it is logged, and the next checkpoint tries again.
     *
     * @return objects deleted
     */
    private int applyRetention() {
        try {
            Listing listing = list();
            detectOtherWriter(listing);
            if (listing.unreadable > 0) {
                LOG.log(Level.WARNING, "Partition {0}: {1} unreadable manifest(s) under {2}; deleting nothing until"
                        + " they are readable or removed", partition(), listing.unreadable, where(""));
                return 0;
            }
            List<Manifest> vanished = new ArrayList<>();
            manifestsByPath.forEach((path, m) -> {
                if (!listing.manifests.containsKey(m.checkpointId())) {
                    vanished.add(m);
                }
            });
            Retention.Plan plan = retention.plan(layout, listing.objects, listing.manifests, vanished, clock.instant());
            store.delete(plan.manifestsToDelete());
            store.delete(plan.filesToDelete());
            for (String key : plan.manifestsToDelete()) {
                manifestsByPath.remove(layout.path(key));
                storedSizes.remove(layout.path(key));
            }
            plan.filesToDelete().forEach(key -> storedSizes.remove(layout.path(key)));
            vanished.forEach(m -> manifestsByPath.remove(PartitionLayout.manifestPath(m.checkpointId())));
            kept = plan.kept();
            return plan.manifestsToDelete().size() + plan.filesToDelete().size();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Retention of partition " + partition() + " failed; the next checkpoint tries again", e);
            return 0;
        }
    }

    /**
     * A manifest newer than the ones this writer found when it first listed, and not tried by it, means
     * another pod took the partition (after this one restored): stop before both write checkpoints.
     */
    private void detectOtherWriter(Listing listing) {
        for (long id : listing.manifestIds) {
            if (id > firstListedId && !manifestTriedHere.contains(id)) {
                lost = new CheckpointConflictException(partition(), id, "another writer committed checkpoint " + id);
                LOG.log(Level.WARNING, lost.getMessage() + "; this pod no longer checkpoints the partition");
                return;
            }
        }
    }

    private void ensureListed() throws IOException {
        if (!listed) {
            Listing listing = list();
            learn(listing);
        }
    }

    /** Takes what a fresh listing says as this writer's view of the partition. */
    private void learn(Listing listing) {
        storedSizes.clear();
        listing.objects.forEach(o -> storedSizes.put(layout.path(o.key()), o.size()));
        kept = retention.kept(listing.manifests.values());
        lastId = Math.max(lastId, listing.highestId);
        firstListedId = Math.max(firstListedId, listing.highestId);
        listed = true;
    }

    private Optional<RestoredCheckpoint> restoreNewest(Path targetDir, Predicate<Manifest> wanted, String what)
            throws IOException {
        long started = System.nanoTime();
        Listing listing = list();
        learn(listing);
        List<Manifest> candidates = listing.manifests.values().stream()
                .filter(wanted)
                .sorted(Comparator.comparingLong(Manifest::checkpointId).reversed())
                .toList();
        int skipped = 0;
        for (Manifest manifest : candidates) {
            String missing = firstMissingFile(manifest);
            if (missing != null) {
                skipped++;
                LOG.log(Level.WARNING, "Skipping checkpoint {0} of partition {1}: {2}; trying an older one",
                        manifest.checkpointId(), partition(), missing);
                continue;
            }
            Transfer transfer;
            try {
                transfer = materialize(manifest, targetDir);
            } catch (CorruptFileException corrupt) {
                skipped++;
                LOG.log(Level.WARNING, "Skipping checkpoint {0} of partition {1}: {2}; trying an older one",
                        manifest.checkpointId(), partition(), corrupt.getMessage());
                continue;
            }
            digests = new ContentDigests();
            for (CheckpointFile file : manifest.files()) {
                digests.remember(targetDir.resolve(file.name()), file.sha256());
            }
            restored = manifest;
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            String location = where(PartitionLayout.checkpointDir(manifest.checkpointId()));
            LOG.log(Level.INFO, "Restored partition {0} from {1} ({2}) in {3}: downloaded {4} ({5}), reused {6} already local",
                    partition(), manifest.savepoint().map(s -> "savepoint " + s + " (checkpoint "
                            + manifest.checkpointId() + ")").orElse("checkpoint " + manifest.checkpointId()),
                    location, LogFormat.duration(took), LogFormat.files(transfer.downloaded),
                    LogFormat.bytes(transfer.bytesDownloaded), LogFormat.files(transfer.reused));
            return Optional.of(new RestoredCheckpoint(manifest, location, transfer.downloaded, transfer.bytesDownloaded,
                    transfer.reused, skipped, took));
        }
        LOG.log(Level.INFO, "Partition {0} has no complete {1} in {2}{3}", partition(), what,
                where(""), skipped > 0 ? " (" + skipped + " incomplete skipped)" : "");
        return Optional.empty();
    }

    private String firstMissingFile(Manifest manifest) {
        for (CheckpointFile file : manifest.files()) {
            if (file.isEmpty()) {
                continue;
            }
            Long stored = storedSizes.get(file.path());
            if (stored == null) {
                return layout.key(file.path()) + " is missing";
            }
            if (stored != file.size()) {
                return layout.key(file.path()) + " has " + stored + " bytes instead of " + file.size();
            }
        }
        return null;
    }

    private static final class Transfer {
        int downloaded;
        long bytesDownloaded;
        int reused;
    }

    private static final class CorruptFileException extends IOException {
        CorruptFileException(String message) {
            super(message);
        }
    }

    private Transfer materialize(Manifest manifest, Path dir) throws IOException {
        Files.createDirectories(dir);
        Transfer transfer = new Transfer();
        Set<String> names = new HashSet<>();
        for (CheckpointFile file : manifest.files()) {
            Path local = dir.resolve(checkedName(file.name()));
            names.add(file.name());
            if (Files.isRegularFile(local) && Files.size(local) == file.size()
                    && ContentDigests.sha256(local).equals(file.sha256())) {
                transfer.reused++;
                continue;
            }
            if (file.isEmpty()) {
                Files.deleteIfExists(local);
                Files.createFile(local);
                continue;
            }
            Path temp = dir.resolve(file.name() + DOWNLOAD_SUFFIX);
            store.get(layout.key(file.path()), temp);
            long size = Files.size(temp);
            String sha256 = ContentDigests.sha256(temp);
            if (size != file.size() || !sha256.equals(file.sha256())) {
                Files.delete(temp);
                throw new CorruptFileException(layout.key(file.path()) + " does not have the content its manifest lists"
                        + " (" + size + " bytes, sha256 " + sha256 + ")");
            }
            Files.move(temp, local, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            transfer.downloaded++;
            transfer.bytesDownloaded += size;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                if (Files.isRegularFile(entry) && !names.contains(entry.getFileName().toString())) {
                    Files.delete(entry);
                }
            }
        }
        return transfer;
    }

    /** A manifest names local files; one naming a path outside the directory is refused. */
    private static String checkedName(String name) throws CorruptFileException {
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
            throw new CorruptFileException("the manifest lists a file named '" + name + "', which is not a file name");
        }
        return name;
    }

    /** One listing of the partition's prefix, with its manifests read. */
    private static final class Listing {
        final List<StoredObject> objects;
        final Map<Long, Manifest> manifests = new HashMap<>();
        final List<Long> manifestIds = new ArrayList<>();
        int unreadable;
        long highestId = -1;

        Listing(List<StoredObject> objects) {
            this.objects = objects;
        }
    }

    private Listing list() throws IOException {
        Listing listing = new Listing(store.list(layout.prefix()));
        for (StoredObject object : listing.objects) {
            String path = layout.path(object.key());
            OptionalLong id = PartitionLayout.checkpointIdOf(path);
            if (id.isEmpty()) {
                continue;
            }
            // a chk-n without manifest still used up its id: never write n again
            listing.highestId = Math.max(listing.highestId, id.getAsLong());
            if (!PartitionLayout.isManifest(path)) {
                continue;
            }
            listing.manifestIds.add(id.getAsLong());
            Manifest manifest = manifestsByPath.get(path);
            if (manifest == null) {
                try {
                    manifest = ManifestCodec.decode(store.getBytes(object.key()));
                } catch (NoSuchFileException deletedMeanwhile) {
                    continue;
                } catch (IOException unreadable) {
                    listing.unreadable++;
                    LOG.log(Level.WARNING, "Manifest " + store.describe(object.key()) + " is unreadable: "
                            + unreadable.getMessage());
                    continue;
                }
                if (manifest.checkpointId() != id.getAsLong() || manifest.partition() != partition()) {
                    listing.unreadable++;
                    LOG.log(Level.WARNING, "Manifest " + store.describe(object.key()) + " names partition "
                            + manifest.partition() + " checkpoint " + manifest.checkpointId() + ": ignored");
                    continue;
                }
                manifestsByPath.put(path, manifest);
            }
            listing.manifests.put(id.getAsLong(), manifest);
        }
        return listing;
    }
}
