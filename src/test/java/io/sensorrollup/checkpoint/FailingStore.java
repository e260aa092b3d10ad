package io.sensorrollup.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The real store, failing as a network would: the next {@code put} of a key matching a pattern fails
 * before storing, the next {@code putIfAbsent} stores and then reports a failure (the response was lost),
 * reads and listings fail with a 503, or a call waits at a point the test chooses.
 */
public final class FailingStore implements CheckpointStore {

    /** What a test runs inside a store call, e.g. another writer's checkpoint. */
    public interface Action {
        void run() throws Exception;
    }

    private final CheckpointStore store;
    private String failNextPutOf;
    private boolean loseNextPutIfAbsentResponse;
    private boolean failNextPutIfAbsent;
    private Action beforeNextPutIfAbsent;
    private volatile String pausePutIfAbsentOf;
    private volatile Pause pause;
    private String failGetsOf;
    private int getFailuresLeft;
    private String beforeNextGetOf;
    private Action beforeNextGet;
    private boolean failNextList;

    public FailingStore(CheckpointStore store) {
        this.store = store;
    }

    public synchronized void failNextPutOf(String keyRegex) {
        failNextPutOf = keyRegex;
    }

    // a checkpoint's files are transferred at once: each fault is taken by exactly one call
    @Override
    public void put(String key, Path file) throws IOException {
        if (takePutFailure(key)) {
            throw new IOException("connection reset while uploading " + key);
        }
        store.put(key, file);
    }

    private synchronized boolean takePutFailure(String key) {
        if (failNextPutOf != null && key.matches(failNextPutOf)) {
            failNextPutOf = null;
            return true;
        }
        return false;
    }

    /** The next conditional put fails before storing anything: the process died between the uploads and the manifest. */
    public void failNextPutIfAbsent() {
        failNextPutIfAbsent = true;
    }

    public void loseNextPutIfAbsentResponse() {
        loseNextPutIfAbsentResponse = true;
    }

    /** Runs {@code action} at the start of the next conditional put, e.g. another writer committing first. */
    public void beforeNextPutIfAbsent(Action action) {
        beforeNextPutIfAbsent = action;
    }

    /** A writer paused inside a store call, until the test releases it. */
    public static final class Pause {
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        void awaitReached() throws InterruptedException {
            if (!reached.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the paused call was never made");
            }
        }

        public void release() {
            released.countDown();
        }
    }

    /** The next conditional put of a matching key waits, before storing, until the returned pause is released. */
    public Pause pauseNextPutIfAbsentOf(String keyRegex) {
        pause = new Pause();
        pausePutIfAbsentOf = keyRegex;
        return pause;
    }

    @Override
    public boolean putIfAbsent(String key, byte[] bytes) throws IOException {
        String pauseOf = pausePutIfAbsentOf;
        if (pauseOf != null && key.matches(pauseOf)) {
            pausePutIfAbsentOf = null;
            pause.reached.countDown();
            try {
                pause.released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        if (beforeNextPutIfAbsent != null) {
            Action action = beforeNextPutIfAbsent;
            beforeNextPutIfAbsent = null;
            run(action);
        }
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

    /** The next {@code times} reads (get or getBytes) of a matching key fail as S3 does when it is overloaded. */
    public synchronized void failGetsOf(String keyRegex, int times) {
        failGetsOf = keyRegex;
        getFailuresLeft = times;
    }

    public void failNextGetOf(String keyRegex) {
        failGetsOf(keyRegex, 1);
    }

    /** Runs {@code action} at the start of the next read of a matching key, e.g. another writer checkpointing meanwhile. */
    public synchronized void beforeNextGetOf(String keyRegex, Action action) {
        beforeNextGetOf = keyRegex;
        beforeNextGet = action;
    }

    public void failNextList() {
        failNextList = true;
    }

    private void beforeGet(String key) throws IOException {
        Action action = takeBeforeGet(key);
        if (action != null) {
            run(action);
        }
        if (takeGetFailure(key)) {
            throw new IOException("S3 get of " + key + " failed: 503 Slow Down");
        }
    }

    private synchronized Action takeBeforeGet(String key) {
        if (beforeNextGetOf != null && key.matches(beforeNextGetOf)) {
            Action action = beforeNextGet;
            beforeNextGetOf = null;
            beforeNextGet = null;
            return action;
        }
        return null;
    }

    private synchronized boolean takeGetFailure(String key) {
        if (getFailuresLeft > 0 && key.matches(failGetsOf)) {
            getFailuresLeft--;
            return true;
        }
        return false;
    }

    @Override
    public void get(String key, Path target) throws IOException {
        beforeGet(key);
        store.get(key, target);
    }

    @Override
    public byte[] getBytes(String key) throws IOException {
        beforeGet(key);
        return store.getBytes(key);
    }

    @Override
    public List<StoredObject> list(String prefix) throws IOException {
        if (failNextList) {
            failNextList = false;
            throw new IOException("S3 list of " + prefix + " failed: 503 Service Unavailable");
        }
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

    private static void run(Action action) throws IOException {
        try {
            action.run();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
