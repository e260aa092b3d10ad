package io.sensorrollup.source;

import java.util.concurrent.CompletionStage;

/**
 * The dead-letter topic (CONTRACT §1): original bytes, with the reason in property {@code error}
 * and the source message in {@code source-message-id}.
 */
public interface DeadLetters {

    String ERROR = "error";
    String SOURCE_MESSAGE_ID = "source-message-id";

    void send(byte[] payload, int offset, int length, String error, byte[] sourcePosition);

    /** Completes when everything sent so far is stored; a checkpoint acknowledges its source messages only after that. */
    CompletionStage<Void> flush();
}
