package io.sensorrollup.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pod taking over a partition reads its kept manifests at once, not one round trip after another. */
class CheckpointListingTest {

    private static final int P = 5;

    @TempDir
    Path temp;

    @Test
    void aNewOwnerReadsEveryKeptManifestAtOnce() throws Exception {
        FileCheckpointStore files = new FileCheckpointStore(Files.createDirectories(temp.resolve("store")));
        try (TestDb db = TestDb.open(temp.resolve("db"))) {
            PartitionCheckpointer owner = new Checkpoints(files, 3, Duration.ofMinutes(10), new ManualClock()).partition(P);
            for (int round = 1; round <= 3; round++) {
                owner.checkpoint(db.put(10, "r" + round).flush().checkpoint(temp), ("m" + round).getBytes(StandardCharsets.US_ASCII), round);
            }
        }
        // each manifest read waits until all three are being read: one after another, the first never returns
        CyclicBarrier allThree = new CyclicBarrier(3);
        CheckpointStore meetingAtTheManifests = new Delegating(files) {
            @Override
            public byte[] getBytes(String key) throws IOException {
                if (key.endsWith("/" + PartitionLayout.MANIFEST)) {
                    try {
                        allThree.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                        throw new IOException("manifests read one after another: " + e, e);
                    }
                }
                return super.getBytes(key);
            }
        };
        PartitionCheckpointer next = new Checkpoints(meetingAtTheManifests, 3, Duration.ofMinutes(10), new ManualClock()).partition(P);
        assertEquals(3, next.restore(temp.resolve("restored")).orElseThrow().checkpointId());
    }

    private static class Delegating implements CheckpointStore {
        private final CheckpointStore inner;

        Delegating(CheckpointStore inner) {
            this.inner = inner;
        }

        @Override
        public void put(String key, Path file) throws IOException {
            inner.put(key, file);
        }

        @Override
        public boolean putIfAbsent(String key, byte[] bytes) throws IOException {
            return inner.putIfAbsent(key, bytes);
        }

        @Override
        public void get(String key, Path target) throws IOException {
            inner.get(key, target);
        }

        @Override
        public byte[] getBytes(String key) throws IOException {
            return inner.getBytes(key);
        }

        @Override
        public List<StoredObject> list(String prefix) throws IOException {
            return inner.list(prefix);
        }

        @Override
        public void delete(Collection<String> keys) throws IOException {
            inner.delete(keys);
        }

        @Override
        public String describe(String key) {
            return inner.describe(key);
        }
    }
}
