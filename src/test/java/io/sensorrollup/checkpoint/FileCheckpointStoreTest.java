package io.sensorrollup.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class FileCheckpointStoreTest extends CheckpointStoreContract {

    private Path root;

    @Override
    protected CheckpointStore store() throws Exception {
        root = Files.createDirectories(temp.resolve("store"));
        return new FileCheckpointStore(root);
    }

    @Test
    void leavesNoTemporaryFilesAndRemovesEmptiedDirectories() throws Exception {
        CheckpointStore store = store();
        store.put("partition-1/chk-1/CURRENT-x", file("a", new byte[5]));
        store.putIfAbsent("partition-1/chk-1/_metadata", bytes("{}"));
        store.putIfAbsent("partition-1/chk-1/_metadata", bytes("{}"));
        try (var files = Files.list(root.resolve("partition-1/chk-1"))) {
            assertEquals(List.of("CURRENT-x", "_metadata"), files.map(f -> f.getFileName().toString()).sorted().toList());
        }
        store.delete(List.of("partition-1/chk-1/CURRENT-x", "partition-1/chk-1/_metadata"));
        assertFalse(Files.exists(root.resolve("partition-1")));
    }

    @Test
    void refusesKeysOutsideItsDirectory() throws Exception {
        CheckpointStore store = store();
        assertThrows(IllegalArgumentException.class, () -> store.getBytes("../outside"));
        assertThrows(IllegalArgumentException.class, () -> store.getBytes("/etc/passwd"));
    }

    /**
     * Another writer's manifest put creates and removes a temporary file beside its manifest while this one lists
     * the partition (verifying its own commit): a file that vanishes during the walk is not listed, and does not
     * fail the listing (it failed a claim in a full unit run: NoSuchFileException of the other writer's .tmp-).
     */
    @Test
    void aListingIgnoresFilesThatVanishWhileItWalks() throws Exception {
        CheckpointStore store = store();
        store.put("partition-0/chk-1/CURRENT-x", file("a", new byte[5]));
        AtomicBoolean done = new AtomicBoolean();
        Thread other = new Thread(() -> {
            try {
                for (long i = 0; !done.get(); i++) {
                    store.putIfAbsent("partition-0/chk-2/m-" + i, new byte[1]);
                    store.delete(List.of("partition-0/chk-2/m-" + i));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        other.start();
        try {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < until) {
                List<String> keys = store.list("partition-0/").stream().map(StoredObject::key).toList();
                assertTrue(keys.contains("partition-0/chk-1/CURRENT-x"), keys::toString);
            }
        } finally {
            done.set(true);
            other.join();
        }
    }
}
