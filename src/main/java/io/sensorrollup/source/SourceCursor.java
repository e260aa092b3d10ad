package io.sensorrollup.source;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The source's side of a checkpoint: positions are opaque bytes that only the source can order and acknowledge. */
public interface SourceCursor {

    /** Acknowledges every message of {@code partition} up to and including {@code position}. */
    CompletionStage<Void> acknowledgeThrough(int partition, byte[] position);

    /**
     * Whether the source holds no message of {@code partition} after {@code position} (null: before the first):
     * the partition is caught up. Only a caught-up partition may be taken as idle (CONTRACT §2).
     */
    CompletionStage<Boolean> caughtUp(int partition, byte[] position);

    /**
     * Where the subscription's acknowledged position of {@code partition} stands when it is past
     * {@code position}: a state restored at {@code position} would then miss the readings in between. Empty
     * when it is not past it.
     */
    CompletionStage<Optional<String>> acknowledgedBeyond(int partition, byte[] position);

    /**
     * Makes the source deliver {@code partition} again from its acknowledged position, and returns that delivery's
     * generation ({@link RawBatch#generation()}): a batch of an older one was delivered before and comes again.
     * A partition that comes back to this pod starts so, since what arrived for it while it was another pod's
     * was dropped, and Pulsar would not send it twice to the same consumer.
     */
    long rewind(int partition);

    /** Negative, zero or positive as {@code a} comes before, is, or comes after {@code b} in one partition. */
    int compare(byte[] a, byte[] b);

    /** A position as people read it in logs and dead-letter properties. */
    String describe(byte[] position);
}
