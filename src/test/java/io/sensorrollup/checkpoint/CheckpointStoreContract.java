package io.sensorrollup.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every {@link CheckpointStore} must do; each backend's test supplies the store. */
public abstract class CheckpointStoreContract {

    @TempDir
    protected Path temp;

    /** A store with nothing in it. */
    protected abstract CheckpointStore store() throws Exception;

    @Test
    void putThenGetReturnsTheBytesAndPutReplaces() throws Exception {
        CheckpointStore store = store();
        byte[] content = new byte[300_000];
        new Random(7).nextBytes(content);
        store.put("partition-1/shared/000009-abc.sst", file("a", content));
        Path back = temp.resolve("back");
        store.get("partition-1/shared/000009-abc.sst", back);
        assertArrayEquals(content, Files.readAllBytes(back));

        store.put("partition-1/shared/000009-abc.sst", file("b", bytes("shorter")));
        store.get("partition-1/shared/000009-abc.sst", back);
        assertArrayEquals(bytes("shorter"), Files.readAllBytes(back));
        assertArrayEquals(bytes("shorter"), store.getBytes("partition-1/shared/000009-abc.sst"));
    }

    @Test
    void putIfAbsentWritesOnceAndKeepsTheFirstContent() throws Exception {
        CheckpointStore store = store();
        assertTrue(store.putIfAbsent("partition-1/chk-1/_metadata", bytes("first")));
        assertFalse(store.putIfAbsent("partition-1/chk-1/_metadata", bytes("second")));
        assertArrayEquals(bytes("first"), store.getBytes("partition-1/chk-1/_metadata"));
    }

    @Test
    void ofConcurrentPutIfAbsentExactlyOneWins() throws Exception {
        CheckpointStore store = store();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                byte[] content = bytes("writer " + i);
                attempts.add(pool.submit((Callable<Boolean>) () -> store.putIfAbsent("partition-2/chk-7/_metadata", content)));
            }
            int winners = 0;
            for (Future<Boolean> attempt : attempts) {
                try {
                    winners += attempt.get() ? 1 : 0;
                } catch (java.util.concurrent.ExecutionException e) {
                    // a loser may learn only that its outcome is unknown (a 409 while the winner writes)
                    assertTrue(e.getCause() instanceof java.io.IOException, e.toString());
                }
            }
            assertEquals(1, winners);
            assertTrue(new String(store.getBytes("partition-2/chk-7/_metadata"), StandardCharsets.UTF_8).startsWith("writer "));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void missingObjectsAreNoSuchFile() throws Exception {
        CheckpointStore store = store();
        assertThrows(NoSuchFileException.class, () -> store.getBytes("partition-1/chk-1/_metadata"));
        assertThrows(NoSuchFileException.class, () -> store.get("partition-1/chk-1/_metadata", temp.resolve("x")));
    }

    @Test
    void listMatchesTheKeyPrefixWithSizesInKeyOrder() throws Exception {
        CheckpointStore store = store();
        Instant before = Instant.now().minusSeconds(60);
        store.put("partition-3/shared/b.sst", file("1", new byte[10]));
        store.put("partition-3/shared/a.sst", file("2", new byte[20]));
        store.put("partition-3/chk-1/CURRENT-x", file("3", new byte[3]));
        store.put("partition-30/shared/c.sst", file("4", new byte[4]));

        List<StoredObject> three = store.list("partition-3/");
        assertEquals(List.of("partition-3/chk-1/CURRENT-x", "partition-3/shared/a.sst", "partition-3/shared/b.sst"),
                three.stream().map(StoredObject::key).toList());
        assertEquals(List.of(3L, 20L, 10L), three.stream().map(StoredObject::size).toList());
        for (StoredObject object : three) {
            assertTrue(object.lastModified().isAfter(before)
                    && object.lastModified().isBefore(Instant.now().plus(Duration.ofMinutes(1))), object.toString());
        }
        assertEquals(4, store.list("partition-").size());
        assertEquals(List.of(), store.list("partition-4/"));
    }

    @Test
    void deleteRemovesTheKeysAndIgnoresMissingOnes() throws Exception {
        CheckpointStore store = store();
        store.put("partition-1/shared/a.sst", file("a", new byte[1]));
        store.put("partition-1/shared/b.sst", file("b", new byte[1]));
        store.put("partition-1/chk-1/CURRENT-x", file("c", new byte[1]));
        store.delete(List.of("partition-1/shared/a.sst", "partition-1/chk-1/CURRENT-x", "partition-1/shared/never.sst"));
        assertEquals(List.of("partition-1/shared/b.sst"), store.list("partition-1/").stream().map(StoredObject::key).toList());
        store.delete(List.of());
    }

    @Test
    void describeNamesTheKey() throws Exception {
        assertTrue(store().describe("partition-1/chk-4").endsWith("/partition-1/chk-4"));
    }

    protected Path file(String name, byte[] content) throws Exception {
        Path file = temp.resolve("upload-" + name);
        Files.write(file, content);
        return file;
    }

    protected static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
