package io.sensorrollup.state;

/** A failure of the local state store: the partition cannot go on and must restart from a checkpoint. */
public final class StateException extends RuntimeException {

    public StateException(String message, Throwable cause) {
        super(message, cause);
    }

    public StateException(String message) {
        super(message);
    }
}
