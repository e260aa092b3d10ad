package io.sensorrollup.state;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link PartitionProcessor#snapshot} wrote: a RocksDB checkpoint directory holding the partition's
 * state up to and including the message at {@code position}.
 *
 * @param dir the checkpoint directory
 * @param position the source position of the last processed message (null before the first message)
 * @param watermark the partition's watermark at the snapshot
 * @param files every file of the checkpoint with its size (SST files are immutable and may be shared
 *     between checkpoints; MANIFEST, CURRENT and OPTIONS are per checkpoint)
 */
public record Snapshot(Path dir, byte[] position, long watermark, List<StateFile> files) {

    /** One file of a checkpoint. */
    public record StateFile(String name, long size) {

        public boolean isSst() {
            return name.endsWith(".sst");
        }
    }
}
