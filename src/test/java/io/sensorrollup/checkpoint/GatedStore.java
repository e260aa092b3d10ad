package io.sensorrollup.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real store with gates a test opens and closes: manifests (conditional puts) or listings wait at a closed
 * gate, so a checkpoint or a restore can be held half-way through; and listings can fail as a store that
 * is down does.
 */
public final class GatedStore implements CheckpointStore {

    private final CheckpointStore store;
    private final Gate manifests = new Gate();
    private final Gate listings = new Gate();
    public final AtomicInteger listFailuresLeft = new AtomicInteger();
    public final AtomicInteger manifestsStored = new AtomicInteger();
    private volatile ManifestRead manifestRead = key -> { };

    public GatedStore(CheckpointStore store) {
        this.store = store;
    }

    public Gate manifests() {
        return manifests;
    }

    public Gate listings() {
        return listings;
    }

    @Override
    public void put(String key, Path file) throws IOException {
        store.put(key, file);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] bytes) throws IOException {
        manifests.pass();
        boolean stored = store.putIfAbsent(key, bytes);
        if (stored) {
            manifestsStored.incrementAndGet();
        }
        return stored;
    }

    @Override
    public void get(String key, Path target) throws IOException {
        store.get(key, target);
    }

    @Override
    public byte[] getBytes(String key) throws IOException {
        if (key.endsWith("/" + PartitionLayout.MANIFEST)) {
            manifestRead.before(key);
        }
        return store.getBytes(key);
    }

    /** Runs before each read of a manifest: reads can be made to meet, or to fail. */
    public interface ManifestRead {
        void before(String key) throws IOException;
    }

    public void onManifestRead(ManifestRead hook) {
        manifestRead = hook;
    }

    @Override
    public List<StoredObject> list(String prefix) throws IOException {
        listings.pass();
        if (listFailuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IOException("S3 list of " + prefix + " failed: Service Unavailable (503)");
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

    /** Open until {@link #close()}; then callers wait at it until {@link #open()}. */
    public static final class Gate {
        private volatile Semaphore closed;
        private final Semaphore arrived = new Semaphore(0);

        public void close() {
            closed = new Semaphore(0);
        }

        public void open() {
            Semaphore s = closed;
            closed = null;
            if (s != null) {
                s.release(1000);
            }
        }

        /** Waits until a caller is held at the closed gate. */
        public void awaitArrival() throws InterruptedException {
            if (!arrived.tryAcquire(20, TimeUnit.SECONDS)) {
                throw new AssertionError("nobody arrived at the gate");
            }
        }

        void pass() throws IOException {
            Semaphore s = closed;
            if (s == null) {
                return;
            }
            arrived.release();
            try {
                if (!s.tryAcquire(60, TimeUnit.SECONDS)) {
                    throw new IOException("gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }
}
