package io.sensorrollup.partition;

/**
 * The newest checkpoint of a partition is behind what the source has already acknowledged: running from it
 * would lose the readings in between, so the partition is not run here until that changes.
 */
public final class RestoreRefusedException extends Exception {

    RestoreRefusedException(String message) {
        super(message);
    }
}
