package io.sensorrollup.source;

import java.util.concurrent.CompletionStage;

/**
 * The dead-letter topic (CONTRACT §1): original bytes, with the reason in property {@code error}
 * and the source message in {@code source-message-id}.
 */
public interface DeadLetters {

    String ERROR = "error";
    String SOURCE_MESSAGE_ID = "source-message-id";

    void send(int partition, byte[] payload, int offset, int length, String error, byte[] sourcePosition);

    /**
     * Completes when everything sent so far for {@code partition} is stored, and fails when any of it was not:
     * a checkpoint of the partition acknowledges its source messages only after that. Another partition's
     * failure is never blamed on this one.
     */
    CompletionStage<Void> flush(int partition);
}
