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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
    void aFailedUploadCommitsNothingAndTheNextAttemptTakesItsIdAgain() throws Exception {
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

            // ids are dense: the retry is checkpoint 2, and its files land where the failed attempt put them
            CompletedCheckpoint retried = partition.checkpoint(dir, bytes("m2"), 2);
            assertEquals(2, retried.checkpointId());
            assertEquals(2, checkpoints.partition(1).restore(temp.resolve("r")).orElseThrow().checkpointId());
            Set<String> listed = new HashSet<>(manifestKeys(1));
            listed.addAll(manifestKeys(2));
            listed.add("partition-1/chk-1/_metadata");
            listed.add("partition-1/chk-2/_metadata");
            assertEquals(listed, new HashSet<>(keys()), "no stray is left: the retry stored the same files");
        }
    }

    @Test
    void aFailedUploadLeavesStraysThatGoAfterTheGracePeriod() throws Exception {
        try (TestDb db = TestDb.open(temp.resolve("db"))) {
            PartitionCheckpointer partition = checkpoints.partition(1);
            partition.checkpoint(db.put(1000, "a").flush().checkpoint(temp), bytes("m1"), 1);
            store.failNextPutOf("partition-1/chk-2/OPTIONS.*");
            Path failed = db.put(1000, "b").flush().checkpoint(temp);
            assertThrows(IOException.class, () -> partition.checkpoint(failed, bytes("m2"), 2));
            List<String> leftovers = keys().stream().filter(k -> k.startsWith("partition-1/chk-2/")).toList();
            assertFalse(leftovers.isEmpty());

            // the retry has other state (other MANIFEST-* content): the failed attempt's small files are strays
            partition.checkpoint(db.put(1000, "c").flush().checkpoint(temp), bytes("m3"), 3);
            assertTrue(keys().containsAll(leftovers), "kept through the grace period");
            clock.advance(Duration.ofMinutes(11));
            partition.checkpoint(db.put(1, "d").flush().checkpoint(temp), bytes("m4"), 4);
            List<String> listed = new ArrayList<>();
            for (long id : List.of(2L, 3L)) {
                listed.addAll(manifestKeys(id));
            }
            List<String> now = keys();
            assertTrue(leftovers.stream().noneMatch(k -> now.contains(k) && !listed.contains(k)), now.toString());
        }
    }

    /**
     * Both writers listed an empty partition. This one's attempt at 1 fails, the other commits 1: this
     * one's retry of 1 conflicts, and the other goes on. Nobody writes on top of a split.
     */
    @Test
    void aFailedAttemptsIdTakenMeanwhileByAnotherWriterConflicts() throws Exception {
        try (TestDb mine = TestDb.open(temp.resolve("mine")); TestDb theirs = TestDb.open(temp.resolve("theirs"))) {
            PartitionCheckpointer me = checkpoints.partition(1);
            PartitionCheckpointer other = checkpoints.partition(1);
            me.restore(temp.resolve("r1"));
            other.restore(temp.resolve("r2"));

            store.failNextPutOf("partition-1/.*");
            Path myDir = mine.put(100, "mine").flush().checkpoint(temp);
            assertThrows(IOException.class, () -> me.checkpoint(myDir, bytes("me1"), 1));
            assertEquals(1, other.checkpoint(theirs.put(100, "theirs").flush().checkpoint(temp), bytes("o1"), 1).checkpointId());

            CheckpointConflictException stopped = assertThrows(CheckpointConflictException.class,
                    () -> me.checkpoint(myDir, bytes("me2"), 2));
            assertEquals(1, stopped.checkpointId());
            assertEquals(2, other.checkpoint(theirs.put(1, "y").flush().checkpoint(temp), bytes("o2"), 2).checkpointId());
        }
    }

    private List<String> keys() throws IOException {
        return files.list("partition-1/").stream().map(StoredObject::key).toList();
    }

    private List<String> manifestKeys(long id) throws IOException {
        Manifest m = ManifestCodec.decode(files.getBytes("partition-1/chk-" + id + "/_metadata"));
        return m.files().stream().filter(f -> !f.isEmpty()).map(f -> "partition-1/" + f.path()).toList();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
