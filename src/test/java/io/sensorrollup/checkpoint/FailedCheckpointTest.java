package io.sensorrollup.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a failed upload leaves behind, and how the next checkpoint and other writers deal with it. */
class FailedCheckpointTest {

    @TempDir
    Path temp;

    private FileCheckpointStore files;
    private FailingStore store;
    private ManualClock clock;
    private Checkpoints checkpoints;

    @BeforeEach
    void setUp() throws Exception {
        files = new FileCheckpointStore(Files.createDirectories(temp.resolve("store")));
        store = new FailingStore(files);
        clock = new ManualClock();
        checkpoints = new Checkpoints(store, 3, Duration.ofMinutes(10), clock);
    }

    @Test
    void aFailedUploadCommitsNothingAndTheNextAttemptTakesTheNextId() throws Exception {
        try (TestDb db = TestDb.open(temp.resolve("db"))) {
            PartitionCheckpointer partition = checkpoints.partition(1);
            partition.checkpoint(db.put(1000, "a").flush().checkpoint(temp), bytes("m1"), 1);

            store.failNextPutOf("partition-1/chk-2/OPTIONS.*");
            Path dir = db.put(1000, "b").flush().checkpoint(temp);
            assertThrows(IOException.class, () -> partition.checkpoint(dir, bytes("m2"), 2));
            assertFalse(Files.exists(files.root().resolve("partition-1/chk-2/_metadata")));
            List<String> listedBy1 = manifestKeys(1);
            assertTrue(keys().stream().anyMatch(k -> k.startsWith("partition-1/shared/") && !listedBy1.contains(k)),
                    "the new SST was uploaded before the failure: " + keys());

            CompletedCheckpoint retried = partition.checkpoint(dir, bytes("m2"), 2);
            assertEquals(3, retried.checkpointId());
            assertEquals(3, checkpoints.partition(1).restore(temp.resolve("r")).orElseThrow().checkpointId());

            // the failed attempt's small files are strays: kept through the grace period, then deleted
            assertTrue(keys().stream().anyMatch(k -> k.startsWith("partition-1/chk-2/")));
            clock.advance(Duration.ofMinutes(11));
            partition.checkpoint(db.put(1, "c").flush().checkpoint(temp), bytes("m4"), 4);
            assertTrue(keys().stream().noneMatch(k -> k.startsWith("partition-1/chk-2/")), keys().toString());
        }
    }

    @Test
    void aManifestStoredDespiteAFailureReportIsNotTakenForAnotherWriters() throws Exception {
        try (TestDb db = TestDb.open(temp.resolve("db"))) {
            PartitionCheckpointer partition = checkpoints.partition(1);
            store.loseNextPutIfAbsentResponse();
            assertThrows(IOException.class, () -> partition.checkpoint(db.put(100, "a").flush().checkpoint(temp), bytes("m1"), 1));
            assertTrue(Files.exists(files.root().resolve("partition-1/chk-1/_metadata")));

            assertEquals(2, partition.checkpoint(db.put(100, "b").flush().checkpoint(temp), bytes("m2"), 2).checkpointId());
            assertEquals(3, partition.checkpoint(db.put(100, "c").flush().checkpoint(temp), bytes("m3"), 3).checkpointId());
        }
    }

    /**
     * Both writers listed an empty partition. This one's attempt at 1 fails, the other commits 1, this one
     * then commits 2 without conflict; its retention sees checkpoint 1, which it did not write, and stops it.
     */
    @Test
    void aWriterThatFindsACheckpointItDidNotWriteStopsBeforeTheNext() throws Exception {
        try (TestDb mine = TestDb.open(temp.resolve("mine")); TestDb theirs = TestDb.open(temp.resolve("theirs"))) {
            PartitionCheckpointer me = checkpoints.partition(1);
            PartitionCheckpointer other = checkpoints.partition(1);
            me.restore(temp.resolve("r1"));
            other.restore(temp.resolve("r2"));

            store.failNextPutOf("partition-1/.*");
            Path myDir = mine.put(100, "mine").flush().checkpoint(temp);
            assertThrows(IOException.class, () -> me.checkpoint(myDir, bytes("me1"), 1));
            assertEquals(1, other.checkpoint(theirs.put(100, "theirs").flush().checkpoint(temp), bytes("o1"), 1).checkpointId());
            assertEquals(2, me.checkpoint(myDir, bytes("me2"), 2).checkpointId());

            CheckpointConflictException stopped = assertThrows(CheckpointConflictException.class,
                    () -> me.checkpoint(mine.put(1, "x").flush().checkpoint(temp), bytes("me3"), 3));
            assertEquals(1, stopped.checkpointId());
            // and the other writer, whose next id is taken, stops too: nobody writes on top of a split
            assertThrows(CheckpointConflictException.class,
                    () -> other.checkpoint(theirs.put(1, "y").flush().checkpoint(temp), bytes("o2"), 2));
        }
    }

    private List<String> keys() throws IOException {
        return files.list("partition-1/").stream().map(StoredObject::key).toList();
    }

    private List<String> manifestKeys(long id) throws IOException {
        Manifest m = ManifestCodec.decode(files.getBytes("partition-1/chk-" + id + "/_metadata"));
        return m.files().stream().map(f -> "partition-1/" + f.path()).toList();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
