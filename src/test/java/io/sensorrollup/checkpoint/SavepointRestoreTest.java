package io.sensorrollup.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting from a savepoint applies once: its parts become the newest checkpoints, a second start leaves them be. */
class SavepointRestoreTest {

    @TempDir
    Path temp;

    private Checkpoints checkpoints;

    @BeforeEach
    void setUp() throws Exception {
        checkpoints = new Checkpoints(new FileCheckpointStore(Files.createDirectories(temp.resolve("store"))), 3,
                Duration.ofMinutes(10), new ManualClock());
    }

    @Test
    void theSavepointBecomesTheNewestCheckpointOnceAndLaterStartsLeaveTheStateAlone() throws Exception {
        try (TestDb db = TestDb.open(temp.resolve("db"))) {
            PartitionCheckpointer partition = checkpoints.partition(0);
            partition.savepoint("sp", db.put(100, "at-savepoint").flush().checkpoint(temp), position("m100"), 100);
            Map<String, String> atSavepoint = db.contents();
            partition.checkpoint(db.put(100, "later").flush().checkpoint(temp), position("m200"), 200);

            Optional<List<Manifest>> parts = new SavepointRestore(checkpoints, "sp").promote(temp.resolve("scratch-1"));
            assertTrue(parts.isPresent());
            assertArrayEquals(position("m100"), parts.get().get(0).position(), "the position to rewind the source to");
            RestoredCheckpoint newest = checkpoints.partition(0).restore(temp.resolve("restored-1")).orElseThrow();
            assertEquals(3, newest.checkpointId());
            assertArrayEquals(position("m100"), newest.manifest().position());
            assertEquals(100, newest.manifest().watermark());
            assertEquals(atSavepoint, TestDb.contentsOf(temp.resolve("restored-1")));

            SavepointRestore applied = new SavepointRestore(checkpoints, "sp");
            applied.promote(temp.resolve("scratch-1b")).orElseThrow();
            applied.markApplied();
            // the service goes on from the savepoint and checkpoints newer state
            checkpoints.partition(0).checkpoint(db.put(100, "after-restart").flush().checkpoint(temp), position("m300"), 300);

            assertEquals(Optional.empty(), new SavepointRestore(checkpoints, "sp").promote(temp.resolve("scratch-2")),
                    "the setting still in place: no second rewind");
            assertArrayEquals(position("m300"), checkpoints.partition(0).restore(temp.resolve("restored-2")).orElseThrow()
                    .manifest().position());
        }
    }

    @Test
    void aSavepointDeletedAfterItWasAppliedIsNoErrorButOneTakenAgainUnderTheSameNameAppliesAgain() throws Exception {
        try (TestDb db = TestDb.open(temp.resolve("db"))) {
            checkpoints.partition(0).savepoint("sp", db.put(10, "first").flush().checkpoint(temp), position("m10"), 10);
            SavepointRestore first = new SavepointRestore(checkpoints, "sp");
            first.promote(temp.resolve("scratch-1")).orElseThrow();
            first.markApplied();
            checkpoints.deleteSavepoint("sp");
            assertEquals(Optional.empty(), new SavepointRestore(checkpoints, "sp").promote(temp.resolve("scratch-2")));

            checkpoints.partition(0).savepoint("sp", db.put(10, "second").flush().checkpoint(temp), position("m20"), 20);
            Optional<List<Manifest>> again = new SavepointRestore(checkpoints, "sp").promote(temp.resolve("scratch-3"));
            assertTrue(again.isPresent(), "another savepoint of the same name");
            assertArrayEquals(position("m20"), again.get().get(0).position());
        }
    }

    @Test
    void aNameWithNoSavepointIsRefused() throws Exception {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new SavepointRestore(checkpoints, "never-taken").promote(temp.resolve("scratch")));
        assertTrue(refused.getMessage().contains("no savepoint named never-taken"), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SavepointRestore(checkpoints, "no/such"));
    }

    private static byte[] position(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
