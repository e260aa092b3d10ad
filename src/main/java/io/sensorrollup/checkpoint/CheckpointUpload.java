package io.sensorrollup.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Stores a local RocksDB checkpoint directory as the files of checkpoint n: the shared files a kept
 * checkpoint already holds are reused, everything else is uploaded. It remembers the digests of the
 * files it last committed or restored, so an unchanged SST is not hashed again.
 */
final class CheckpointUpload {

    /** @param uploaded path → size of what this upload stored */
    record Result(List<CheckpointFile> files, Map<String, Long> uploaded, long bytesUploaded, int filesReused,
            long bytesReused) {
    }

    private final CheckpointStore store;
    private final PartitionLayout layout;
    private final ConcurrentTransfers transfers;
    private ContentDigests digests = new ContentDigests();

    CheckpointUpload(CheckpointStore store, PartitionLayout layout, ConcurrentTransfers transfers) {
        this.store = store;
        this.layout = layout;
        this.transfers = transfers;
    }

    /**
     * @param reusable    shared paths a kept manifest lists
     * @param storedSizes path → size of the partition's objects
     * @throws IOException the store or the directory failed; what was uploaded is a stray until reused
     */
    Result upload(Path dir, long checkpointId, Set<String> reusable, Map<String, Long> storedSizes) throws IOException {
        List<CheckpointFile> files = new ArrayList<>();
        Map<String, Long> uploaded = new HashMap<>();
        int filesReused = 0;
        long bytesReused = 0;
        long bytesUploaded = 0;
        List<ConcurrentTransfers.Transfer> puts = new ArrayList<>();
        for (Path file : localFiles(dir)) {
            String name = file.getFileName().toString();
            long size = Files.size(file);
            if (size == 0) {
                files.add(CheckpointFile.empty(name));
                continue;
            }
            String sha256 = digests.of(file);
            String path = PartitionLayout.storedPath(checkpointId, name, sha256);
            files.add(new CheckpointFile(name, path, size, sha256));
            if (reusable.contains(path) && storedSizes.getOrDefault(path, -1L) == size) {
                filesReused++;
                bytesReused += size;
            } else {
                puts.add(() -> store.put(layout.key(path), file));
                uploaded.put(path, size);
                bytesUploaded += size;
            }
        }
        transfers.runAll(puts);
        return new Result(files, uploaded, bytesUploaded, filesReused, bytesReused);
    }

    /** The checkpoint of these files committed: the digests of others are no longer needed. */
    void committed(List<CheckpointFile> files) {
        digests.retainOnly(files.stream().map(CheckpointFile::name).collect(Collectors.toSet()));
    }

    /** {@code dir} now holds exactly the files of {@code manifest}. */
    void restored(Path dir, Manifest manifest) throws IOException {
        digests = new ContentDigests();
        for (CheckpointFile file : manifest.files()) {
            digests.remember(dir.resolve(file.name()), file.sha256());
        }
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
}
