package io.sensorrollup.source.pulsar;

import io.sensorrollup.source.RawBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One batch of the connector split into batches of one partition each, in arrival order. A partition's messages
 * start a new batch where they step back: a delivery of a newer generation (after a fence), or one that starts
 * again from the acknowledged position behind what the client still held (after a reconnect). Each batch's
 * positions then grow, so a partition skips what it has processed already by dropping a batch's prefix.
 */
final class PartitionRuns {

    /** A partition's batch being filled, and the message id it ends with. */
    private static final class Run {
        final int partition;
        final RawBatch batch;
        long ledger = Long.MIN_VALUE;
        long entry;
        int batchIndex;

        Run(int partition, long generation) {
            this.partition = partition;
            this.batch = new RawBatch().generation(generation);
        }

        boolean isBefore(long ledgerId, long entryId, int index) {
            if (ledger != ledgerId) {
                return ledger < ledgerId;
            }
            return entry != entryId ? entry < entryId : batchIndex < index;
        }
    }

    private final List<Run> runs = new ArrayList<>(4);
    private final Map<Integer, Run> open = new HashMap<>();
    private Run last;

    /** Adds a message of {@code partition}, whose id is (ledger, entry, batch index). */
    void add(int partition, long generation, long ledger, long entry, int batchIndex, byte[] payload, byte[] position,
            long arrivalMillis, long publishMillis) {
        Run run = last != null && last.partition == partition ? last : open.get(partition);
        if (run == null || run.batch.generation() != generation || !run.isBefore(ledger, entry, batchIndex)) {
            run = new Run(partition, generation);
            open.put(partition, run);
            runs.add(run);
        }
        last = run;
        run.ledger = ledger;
        run.entry = entry;
        run.batchIndex = batchIndex;
        run.batch.add(payload, position, arrivalMillis, publishMillis);
    }

    int size() {
        return runs.size();
    }

    int partition(int i) {
        return runs.get(i).partition;
    }

    RawBatch batch(int i) {
        return runs.get(i).batch;
    }
}
