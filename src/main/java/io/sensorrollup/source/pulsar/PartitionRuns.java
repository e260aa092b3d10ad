package io.sensorrollup.source.pulsar;

import io.sensorrollup.source.RawBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.pulsar.client.api.MessageIdAdv;

/**
 * One batch of the connector split into batches of one partition each, in arrival order. A partition's messages
 * start a new batch where one does not follow the one before ({@link PulsarCursor#follows}): a delivery of a newer
 * generation (after a fence), one that starts again from the acknowledged position behind what the client still
 * held (after a reconnect), or one that goes on past a gap (another consumer ran the partition meanwhile). Each
 * batch's positions then follow one another, so a partition skips what it has processed already by dropping a
 * batch's prefix, and sees a gap at the start of a batch.
 */
final class PartitionRuns {

    /** A partition's batch being filled, and the message id it ends with. */
    private static final class Run {
        final int partition;
        final RawBatch batch;
        MessageIdAdv last;

        Run(int partition, long generation) {
            this.partition = partition;
            this.batch = new RawBatch().generation(generation);
        }
    }

    private final List<Run> runs = new ArrayList<>(4);
    private final Map<Integer, Run> open = new HashMap<>();
    private Run last;

    /** A message id as a position: serialized only when a partition asks for it. */
    private static final Function<Object, byte[]> POSITION = id -> ((MessageIdAdv) id).toByteArray();

    /** Adds a message of {@code partition}, whose id is {@code id}. */
    void add(int partition, long generation, MessageIdAdv id, byte[] payload, long arrivalMillis, long publishMillis) {
        Run run = last != null && last.partition == partition ? last : open.get(partition);
        if (run == null || run.batch.generation() != generation || !PulsarCursor.follows(run.last, id)) {
            run = new Run(partition, generation);
            open.put(partition, run);
            runs.add(run);
        }
        last = run;
        run.last = id;
        run.batch.addEncodedLater(payload, id, POSITION, arrivalMillis, publishMillis);
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
