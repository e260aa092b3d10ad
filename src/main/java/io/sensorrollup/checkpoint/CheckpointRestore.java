package io.sensorrollup.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Puts one checkpoint into a local directory, which then holds exactly that checkpoint's files: files it
 * already holds with the right content are kept, others are downloaded, and files that are not part of
 * the checkpoint are deleted (a stale WAL would be replayed on open).
 *
 * <p>A file of the checkpoint that is missing, short or of other content is {@link CheckpointDamagedException}
 * naming that file, never a reason to take an older checkpoint: the partition's cursor may have been
 * acknowledged up to this one (CONTRACT §6). A download the store does not answer is
 * {@link CheckpointStoreUnavailableException}.
 */
final class CheckpointRestore {

    private static final String DOWNLOAD_SUFFIX = ".download";

    record Transfer(int downloaded, long bytesDownloaded, int reused) {
    }

    private final CheckpointStore store;
    private final PartitionLayout layout;
    private final ConcurrentTransfers transfers;

    CheckpointRestore(CheckpointStore store, PartitionLayout layout, ConcurrentTransfers transfers) {
        this.store = store;
        this.layout = layout;
        this.transfers = transfers;
    }

    /**
     * @param storedSizes path → size of the partition's objects as listed: missing or short files are found
     *                    before a byte is downloaded or {@code dir} is touched
     */
    Transfer materialize(Manifest manifest, Map<String, Long> storedSizes, Path dir) throws IOException {
        checkListed(manifest, storedSizes);
        Files.createDirectories(dir);
        int reused = 0;
        Set<String> names = new HashSet<>();
        List<CheckpointFile> missing = new ArrayList<>();
        for (CheckpointFile file : manifest.files()) {
            Path local = dir.resolve(file.name());
            names.add(file.name());
            if (Files.isRegularFile(local) && Files.size(local) == file.size()
                    && ContentDigests.sha256(local).equals(file.sha256())) {
                reused++;
            } else if (file.isEmpty()) {
                Files.deleteIfExists(local);
                Files.createFile(local);
            } else {
                missing.add(file);
            }
        }
        List<ConcurrentTransfers.Transfer> downloads = new ArrayList<>();
        missing.forEach(file -> downloads.add(() -> download(file, temp(dir, file))));
        transfers.runAll(downloads);
        long bytesDownloaded = 0;
        for (CheckpointFile file : missing) {
            Path temp = temp(dir, file);
            long size = Files.size(temp);
            String sha256 = ContentDigests.sha256(temp);
            if (size != file.size() || !sha256.equals(file.sha256())) {
                Files.delete(temp);
                throw damaged(file, "it does not have the content the manifest lists (" + size + " bytes, sha256 " + sha256 + ")");
            }
            Files.move(temp, dir.resolve(file.name()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            bytesDownloaded += size;
        }
        int downloaded = missing.size();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                if (Files.isRegularFile(entry) && !names.contains(entry.getFileName().toString())) {
                    Files.delete(entry);
                }
            }
        }
        return new Transfer(downloaded, bytesDownloaded, reused);
    }

    private void checkListed(Manifest manifest, Map<String, Long> storedSizes) throws CheckpointDamagedException {
        for (CheckpointFile file : manifest.files()) {
            checkName(manifest, file.name());
            if (file.isEmpty()) {
                continue;
            }
            Long stored = storedSizes.get(file.path());
            if (stored == null) {
                throw damaged(file, "it is missing");
            }
            if (stored != file.size()) {
                throw damaged(file, "it has " + stored + " bytes instead of " + file.size());
            }
        }
    }

    private static Path temp(Path dir, CheckpointFile file) {
        return dir.resolve(file.name() + DOWNLOAD_SUFFIX);
    }

    private void download(CheckpointFile file, Path temp) throws IOException {
        String key = layout.key(file.path());
        try {
            store.get(key, temp);
        } catch (NoSuchFileException missing) {
            throw damaged(file, "it is missing");
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw new CheckpointStoreUnavailableException("downloading " + store.describe(key) + " failed: " + e.getMessage(), e);
        }
    }

    private CheckpointDamagedException damaged(CheckpointFile file, String why) {
        String key = layout.key(file.path());
        return new CheckpointDamagedException(key, "file " + store.describe(key), why);
    }

    /** A manifest names local files; one naming a path outside the directory is refused. */
    private void checkName(Manifest manifest, String name) throws CheckpointDamagedException {
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
            String key = layout.key(PartitionLayout.manifestPath(manifest.checkpointId()));
            throw new CheckpointDamagedException(key, "manifest " + store.describe(key),
                    "it lists a file named '" + name + "', which is not a file name");
        }
    }
}
