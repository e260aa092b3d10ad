package io.sensorrollup.sink;

/**
 * A row the store cannot take as it is (a value its column type cannot hold), found before sending it. Every sink
 * counts it as a refusal for the content ({@link RowSink#refusesContent}): retrying the same row fails the same way.
 */
public class RowContentException extends RuntimeException {

    public RowContentException(String message) {
        super(message);
    }

    public RowContentException(String message, Throwable cause) {
        super(message, cause);
    }
}
