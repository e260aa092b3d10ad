package io.sensorrollup.checkpoint;

import io.sensorrollup.source.SourceCursor;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Holds a restored partition back until its delivery goes on right after the restored position (or the
 * acknowledged one when there was nothing to restore). During the failover delay Pulsar 4.0.7 already sends a
 * partition's new owner what the previous owner had read ahead beyond the acknowledged position, and only then
 * rewinds to it and sends the rest: taking the read-ahead first would skip the readings in between
 * (PartitionHandBackIT). Dropped, it stays unacknowledged and comes again after the rewind.
 *
 * <p>Used on the partition's queue; {@link #waitsFor()} from anywhere.
 */
final class DeliveryStart {

    private static final System.Logger LOG = System.getLogger(DeliveryStart.class.getName());
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final int partition;
    private final SourceCursor cursor;
    private byte[] after;
    private long waitingSince;
    private boolean stallReported;
    private volatile String waitsFor;

    /** @param after the position the delivery must go on from; null when any first message will do */
    DeliveryStart(int partition, SourceCursor cursor, byte[] after) {
        this.partition = partition;
        this.cursor = cursor;
        this.after = after;
    }

    /** Whether the partition may process {@code first}, its next message after what it has processed. */
    boolean admits(byte[] first) {
        if (after == null) {
            return true;
        }
        if (cursor.follows(after, first)) {
            after = null;
            waitsFor = null;
            return true;
        }
        long now = System.nanoTime();
        if (waitsFor == null) {
            waitingSince = now;
            waitsFor = "its delivery starts at " + cursor.describe(first) + ", not right after " + cursor.describe(after)
                    + ": waiting for the source to deliver from there";
            LOG.log(Level.INFO, "Partition {0}: {1} (the previous owner''s read-ahead, sent before the broker rewinds)",
                    partition, waitsFor);
        } else if (!stallReported && now - waitingSince > STALL_NANOS) {
            stallReported = true;
            LOG.log(Level.ERROR, "Partition {0} is not processed: {1}, and has not been for 30 s (a topic with transaction "
                    + "or replication markers looks so)", partition, waitsFor);
        }
        return false;
    }

    /** Why nothing is processed yet; empty once the delivery went on from the right position. */
    Optional<String> waitsFor() {
        return Optional.ofNullable(waitsFor);
    }
}
