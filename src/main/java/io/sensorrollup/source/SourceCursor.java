package io.sensorrollup.source;

import java.util.concurrent.CompletionStage;

/** The source's side of a checkpoint: positions are opaque bytes that only the source can order and acknowledge. */
public interface SourceCursor {

    /** Acknowledges every message of {@code partition} up to and including {@code position}. */
    CompletionStage<Void> acknowledgeThrough(int partition, byte[] position);

    /** Negative, zero or positive as {@code a} comes before, is, or comes after {@code b} in one partition. */
    int compare(byte[] a, byte[] b);

    /** A position as people read it in logs and dead-letter properties. */
    String describe(byte[] position);
}
