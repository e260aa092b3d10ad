package io.sensorrollup.checkpoint;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The {@code _metadata} of one checkpoint: written last, it is the checkpoint's commit point. It lists
 * every file the checkpoint needs; a file in the store is in use exactly while a kept manifest lists it.
 *
 * @param partition    the Pulsar partition
 * @param checkpointId n of {@code chk-n}: one more than the partition's newest manifest when it was taken
 * @param createdAt    when the checkpoint was taken
 * @param position     opaque bytes of the source (its Pulsar MessageId), up to which the state is complete; empty
 *                     for state that covers none of the partition's messages yet (a partition added by a rescale)
 * @param watermark    the partition's watermark at the checkpoint
 * @param savepoint    the savepoint's name when this is a savepoint (kept until deleted), else empty
 * @param files        every file of the RocksDB checkpoint directory
 * @param owner        the pod that committed it (its consumer name), so the next owner can say whom it took the
 *                     partition from; empty in a manifest written before the field existed
 * @param handOver     the last checkpoint of a pod that stopped gracefully: its owner commits nothing after it
 */
public record Manifest(int partition, long checkpointId, Instant createdAt, byte[] position, long watermark,
        Optional<String> savepoint, List<CheckpointFile> files, String owner, boolean handOver) {

    public Manifest {
        position = position == null ? new byte[0] : position.clone();
        files = List.copyOf(files);
    }

    /** False for a state that covers none of the partition's messages: its source starts where it stands. */
    public boolean hasPosition() {
        return position.length > 0;
    }

    @Override
    public byte[] position() {
        return position.clone();
    }

    public boolean isSavepoint() {
        return savepoint.isPresent();
    }

    /** This manifest as a plain checkpoint: what a savepoint is once deleted, until retention removes it. */
    Manifest asCheckpoint() {
        return new Manifest(partition, checkpointId, createdAt, position, watermark, Optional.empty(), files, owner, handOver);
    }

    public long totalBytes() {
        return files.stream().mapToLong(CheckpointFile::size).sum();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Manifest m && partition == m.partition && checkpointId == m.checkpointId
                && createdAt.equals(m.createdAt) && Arrays.equals(position, m.position) && watermark == m.watermark
                && savepoint.equals(m.savepoint) && files.equals(m.files) && owner.equals(m.owner) && handOver == m.handOver;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(checkpointId) * 31 + partition;
    }

    @Override
    public String toString() {
        return "Manifest[partition=" + partition + ", checkpoint=" + checkpointId
                + savepoint.map(s -> ", savepoint=" + s).orElse("") + ", files=" + files.size() + "]";
    }
}
