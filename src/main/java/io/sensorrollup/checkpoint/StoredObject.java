package io.sensorrollup.checkpoint;

import java.time.Instant;

/** One object of a {@link CheckpointStore} listing. */
public record StoredObject(String key, long size, Instant lastModified) {
}
