package io.sensorrollup.checkpoint;

import java.io.IOException;

/**
 * The checkpoint store did not answer (a failed listing, a manifest or file that could not be read, a
 * timeout, a 503): nothing is known about the partition's checkpoints, which is not the same as having
 * none. Wait and try again; never restore something older meanwhile.
 */
public final class CheckpointStoreUnavailableException extends IOException {

    public CheckpointStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
