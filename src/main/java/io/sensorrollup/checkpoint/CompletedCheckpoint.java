package io.sensorrollup.checkpoint;

import java.time.Duration;

/**
 * A checkpoint that is durable: its files and then its manifest are stored, so the source may ack up to
 * {@code manifest.position()}.
 *
 * @param manifest       what was committed
 * @param location       where the checkpoint's directory is, e.g. {@code s3://bucket/prefix/partition-3/chk-12}
 * @param filesUploaded  files written to the store by this checkpoint
 * @param bytesUploaded  their bytes
 * @param filesReused    SST files already stored by an earlier checkpoint
 * @param bytesReused    their bytes
 * @param objectsDeleted objects retention deleted after the commit
 * @param duration       the whole call, retention included
 */
public record CompletedCheckpoint(Manifest manifest, String location, int filesUploaded, long bytesUploaded,
        int filesReused, long bytesReused, int objectsDeleted, Duration duration) {

    public long checkpointId() {
        return manifest.checkpointId();
    }
}
