package io.sensorrollup.partition;

import io.sensorrollup.state.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A partition's directories on the local volume: {@code db/} (the live RocksDB), {@code checkpoint/} (the
 * newest committed checkpoint, so a restart of this pod restores without downloading) and
 * {@code snapshots/} (checkpoints taken and not yet committed). One task of the partition at a time uses them.
 */
final class LocalCheckpoints {

    private final Path db;
    private final Path lastCheckpoint;
    private final Path snapshots;
    private final AtomicLong snapshotSeq = new AtomicLong();

    LocalCheckpoints(Path stateDir, int partition) {
        Path dir = stateDir.resolve("partition-" + partition);
        this.db = dir.resolve("db");
        this.lastCheckpoint = dir.resolve("checkpoint");
        this.snapshots = dir.resolve("snapshots");
    }

    Path db() {
        return db;
    }

    Path lastCheckpoint() {
        return lastCheckpoint;
    }

    /** Snapshots left by a crash are not committed checkpoints: gone before a restore. */
    void clearSnapshots() throws IOException {
        Directories.deleteRecursively(snapshots);
        Files.createDirectories(snapshots);
    }

    /** A directory for the next snapshot; it does not exist yet. */
    Path nextSnapshot() {
        return snapshots.resolve("snapshot-" + snapshotSeq.incrementAndGet());
    }

    /** The committed snapshot becomes the local copy of the newest checkpoint. */
    void keepAsLastCheckpoint(Path snapshotDir) throws IOException {
        Path previous = lastCheckpoint.resolveSibling("checkpoint.previous");
        Directories.deleteRecursively(previous);
        if (Files.exists(lastCheckpoint)) {
            Files.move(lastCheckpoint, previous);
        }
        Files.move(snapshotDir, lastCheckpoint);
        Directories.deleteRecursively(previous);
    }

    void discard(Path snapshotDir) {
        try {
            Directories.deleteRecursively(snapshotDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
