package io.sensorrollup.checkpoint;

import java.time.Duration;

/**
 * A checkpoint materialized in a local directory, ready to be opened with RocksDB.
 *
 * @param manifest          the checkpoint: its position, watermark and id
 * @param location          where the checkpoint's directory is, e.g. {@code s3://bucket/prefix/partition-3/chk-12}
 * @param filesDownloaded   files fetched from the store
 * @param bytesDownloaded   their bytes
 * @param filesReused       files the directory already held with the right content
 * @param duration          the whole call
 */
public record RestoredCheckpoint(Manifest manifest, String location, int filesDownloaded, long bytesDownloaded,
        int filesReused, Duration duration) {

    public long checkpointId() {
        return manifest.checkpointId();
    }
}
