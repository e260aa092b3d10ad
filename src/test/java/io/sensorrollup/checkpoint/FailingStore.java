package io.sensorrollup.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * The real store, failing once as a network error would: the next {@code put} of a key matching a
 * pattern fails before storing, or the next {@code putIfAbsent} stores and then reports a failure
 * (the response was lost).
 */
final class FailingStore implements CheckpointStore {

    private final CheckpointStore store;
    private String failNextPutOf;
    private boolean loseNextPutIfAbsentResponse;
    private boolean failNextPutIfAbsent;

    FailingStore(CheckpointStore store) {
        this.store = store;
    }

    void failNextPutOf(String keyRegex) {
        failNextPutOf = keyRegex;
    }

    @Override
    public void put(String key, Path file) throws IOException {
        if (failNextPutOf != null && key.matches(failNextPutOf)) {
            failNextPutOf = null;
            throw new IOException("connection reset while uploading " + key);
        }
        store.put(key, file);
    }

    /** The next conditional put fails before storing anything: the process died between the uploads and the manifest. */
    void failNextPutIfAbsent() {
        failNextPutIfAbsent = true;
    }

    void loseNextPutIfAbsentResponse() {
        loseNextPutIfAbsentResponse = true;
    }

    @Override
    public boolean putIfAbsent(String key, byte[] bytes) throws IOException {
        if (failNextPutIfAbsent) {
            failNextPutIfAbsent = false;
            throw new IOException("the process died before storing " + key);
        }
        boolean stored = store.putIfAbsent(key, bytes);
        if (loseNextPutIfAbsentResponse) {
            loseNextPutIfAbsentResponse = false;
            throw new IOException("connection reset reading the response to the put of " + key);
        }
        return stored;
    }

    @Override
    public void get(String key, Path target) throws IOException {
        store.get(key, target);
    }

    @Override
    public byte[] getBytes(String key) throws IOException {
        return store.getBytes(key);
    }

    @Override
    public List<StoredObject> list(String prefix) throws IOException {
        return store.list(prefix);
    }

    @Override
    public void delete(Collection<String> keys) throws IOException {
        store.delete(keys);
    }

    @Override
    public String describe(String key) {
        return store.describe(key);
    }
}
