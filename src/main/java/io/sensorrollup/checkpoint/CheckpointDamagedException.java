package io.sensorrollup.checkpoint;

import java.io.IOException;

/**
 * The store answered, but what it holds is not a usable checkpoint: a manifest that does not decode or
 * names another partition or id, or a file of the checkpoint to restore that is missing or has other
 * content. Retrying does not help and falling back to an older checkpoint would lose what the newest one
 * acknowledged: report it, do not claim the partition, and let an operator look at {@link #key()}.
 */
public final class CheckpointDamagedException extends IOException {

    private final String key;

    public CheckpointDamagedException(String key, String description, String why) {
        super(description + ": " + why);
        this.key = key;
    }

    /** The store key of the damaged object, relative to the configured location. */
    public String key() {
        return key;
    }
}
