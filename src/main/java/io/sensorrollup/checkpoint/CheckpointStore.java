package io.sensorrollup.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * The object store checkpoints live in: the only thing that differs between S3 and a local directory.
 * Keys are {@code /}-separated and relative to the configured location; every method throws
 * {@link IOException} when the store fails, and is durable when it returns.
 */
public interface CheckpointStore {

    /** Stores the file's bytes under {@code key}, replacing any object there. */
    void put(String key, Path file) throws IOException;

    /**
     * Stores {@code bytes} under {@code key} unless an object is already there (atomically: of two
     * concurrent callers exactly one succeeds).
     *
     * @return false, storing nothing, when the key exists with other bytes (true when it holds exactly
     *     {@code bytes}: a retry of this very write whose first attempt was stored)
     * @throws IOException also when it is unknown whether the bytes were stored: the caller reads the key back
     */
    boolean putIfAbsent(String key, byte[] bytes) throws IOException;

    /**
     * Writes the object's bytes to {@code target}, replacing it.
     *
     * @throws java.nio.file.NoSuchFileException when there is no such object
     */
    void get(String key, Path target) throws IOException;

    /** @throws java.nio.file.NoSuchFileException when there is no such object */
    byte[] getBytes(String key) throws IOException;

    /** Every object whose key starts with {@code prefix}, in key order. */
    List<StoredObject> list(String prefix) throws IOException;

    /** Deletes the objects; keys with no object are ignored. */
    void delete(Collection<String> keys) throws IOException;

    /** Where {@code key} lives, for log lines: {@code s3://bucket/prefix/key} or {@code file:/dir/key}. */
    String describe(String key);
}
