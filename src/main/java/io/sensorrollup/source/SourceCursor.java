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
     * Starts a newer generation of {@code partition}'s delivery here ({@link RawBatch#generation()}) and returns it:
     * what the source delivered before carries an older one. Called when the partition becomes another consumer's;
     * when it comes back, its delivery starts again at the acknowledged position in this generation, so messages
     * that reach the pod before the event that hands the partition back are told from those of its earlier turn.
     */
    long fence(int partition);

    /**
     * Asks the source to deliver {@code partition} here again from its acknowledged position, if this consumer is
     * the partition's active one (otherwise nothing happens). For a delivery that does not go on from the position
     * a partition restored.
     */
    void redeliver(int partition);

    /**
     * The last position of the partition the subscription has acknowledged; empty when it acknowledged none or does
     * not exist yet.
     */
    CompletionStage<Optional<byte[]>> acknowledged(int partition);

    /** Whether {@code next} can be the message right after {@code previous} in the partition, with none between. */
    boolean follows(byte[] previous, byte[] next);

    /**
     * For two positions that {@link #follows} allows: whether the partition surely holds nothing between them.
     * Completes at once where the positions tell; asks the source where they cannot (Pulsar: {@code next} opens a
     * later ledger, which follows {@code previous} only if {@code previous} closed its own).
     */
    CompletionStage<Boolean> nothingBetween(int partition, byte[] previous, byte[] next);

    /** Negative, zero or positive as {@code a} comes before, is, or comes after {@code b} in one partition. */
    int compare(byte[] a, byte[] b);

    /** A position as people read it in logs and dead-letter properties. */
    String describe(byte[] position);
}
