package io.sensorrollup.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/** The real store, with the next {@code put} of a key matching a pattern failing once, as a network error would. */
final class FailingStore implements CheckpointStore {

    private final CheckpointStore store;
    private String failNextPutOf;

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

    @Override
    public boolean putIfAbsent(String key, byte[] bytes) throws IOException {
        return store.putIfAbsent(key, bytes);
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
