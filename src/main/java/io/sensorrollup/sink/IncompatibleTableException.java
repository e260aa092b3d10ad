package io.sensorrollup.sink;

/** A store's existing table cannot take the rows (a missing column, another type, no key): waiting will not fix it. */
public final class IncompatibleTableException extends RuntimeException {

    public IncompatibleTableException(String message) {
        super(message);
    }
}
