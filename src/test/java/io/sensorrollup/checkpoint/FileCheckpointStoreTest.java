package io.sensorrollup.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
}
