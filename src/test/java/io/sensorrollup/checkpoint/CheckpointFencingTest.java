package io.sensorrollup.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two writers of one partition (issue 12, item 6): an old owner A whose checkpoint is in flight and a new
 * owner B that restores and claims. Whatever the interleaving, an owner whose manifest does not become
 * the partition's newest learns it before it acknowledges (CheckpointConflictException), and the newest
 * manifest is never behind a position anybody acknowledged.
 */
class CheckpointFencingTest {

    private static final int P = 2;

    @TempDir
    Path temp;

    private FileCheckpointStore files;
    private FailingStore store;
    private Checkpoints checkpoints;

    @BeforeEach
    void setUp() throws Exception {
        files = new FileCheckpointStore(Files.createDirectories(temp.resolve("store")));
        store = new FailingStore(files);
        checkpoints = new Checkpoints(store, 3, Duration.ofMinutes(10), new ManualClock());
    }

    /** The race: A paused between its uploads and its manifest put of 2; B restores 1 and claims. */
    @Test
    void aClaimFencesAnUploadAlreadyInFlight() throws Exception {
        try (TestDb a = TestDb.open(temp.resolve("a")); TestDb b = TestDb.open(temp.resolve("b"))) {
            InFlight oldOwner = oldOwnerPausedBeforeItsManifest(a);
            PartitionCheckpointer newOwner = checkpoints.partition(P);
            RestoredCheckpoint restored = newOwner.restore(temp.resolve("b-restore")).orElseThrow();
            assertArrayEquals(position("a1"), restored.manifest().position());
            CompletedCheckpoint claim = newOwner.checkpoint(b.put(100, "b").flush().checkpoint(temp), position("a1"), 1);

            oldOwner.paused().release();
            ExecutionException failed = assertThrows(ExecutionException.class, () -> oldOwner.result().get(30, TimeUnit.SECONDS),
                    "the old owner's manifest must not commit after the claim, or it would acknowledge a2");
            assertTrue(failed.getCause() instanceof CheckpointConflictException, String.valueOf(failed.getCause()));
            assertEquals(claim.checkpointId(), newest().checkpointId());
            assertArrayEquals(position("a1"), newest().position());
            // the loser's uploads to the shared chk-2/ did not touch the winner's bytes
            assertEquals(claim.manifest(), restoreNewest().manifest());
            assertEquals(List.of(), StoredManifests.damage(files, claim.manifest(), temp));
        }
    }

    /** A wins the race for 2 and acknowledges a2; B, which restored 1 meanwhile, must not claim on top of it. */
    @Test
    void anOldOwnerThatCommitsFirstMakesTheStaleClaimConflict() throws Exception {
        try (TestDb a = TestDb.open(temp.resolve("a")); TestDb b = TestDb.open(temp.resolve("b"))) {
            InFlight oldOwner = oldOwnerPausedBeforeItsManifest(a);
            PartitionCheckpointer newOwner = checkpoints.partition(P);
            newOwner.restore(temp.resolve("b-restore")).orElseThrow();
            oldOwner.paused().release();
            CompletedCheckpoint acknowledged = oldOwner.result().get(30, TimeUnit.SECONDS); // A now acknowledges a2

            Path claim = b.put(100, "b").flush().checkpoint(temp);
            assertThrows(CheckpointConflictException.class, () -> newOwner.checkpoint(claim, position("a1"), 1),
                    "a claim of the older state would become the newest checkpoint, behind the acknowledged a2");
            assertEquals(acknowledged.manifest(), newest());
        }
    }

    /**
     * B's view is so old that retention deleted the manifest it would commit next: the conditional put
     * succeeds on a free key, so B must also find that a newer manifest exists before it may acknowledge.
     */
    @Test
    void aClaimOnAnIdThatRetentionAlreadyDeletedConflicts() throws Exception {
        try (TestDb a = TestDb.open(temp.resolve("a")); TestDb b = TestDb.open(temp.resolve("b"))) {
            PartitionCheckpointer oldOwner = checkpoints.partition(P);
            oldOwner.checkpoint(a.put(100, "a1").flush().checkpoint(temp), position("a1"), 1);
            PartitionCheckpointer newOwner = checkpoints.partition(P);
            newOwner.restore(temp.resolve("b-restore")).orElseThrow();
            for (int i = 2; i <= 5; i++) {
                oldOwner.checkpoint(a.put(100, "a" + i).flush().checkpoint(temp), position("a" + i), i);
            }
            assertFalse(Files.exists(files.root().resolve("partition-2/chk-2/_metadata")), "retention deleted 2");

            Path claim = b.put(100, "b").flush().checkpoint(temp);
            assertThrows(CheckpointConflictException.class, () -> newOwner.checkpoint(claim, position("a1"), 1));
            assertArrayEquals(position("a5"), newest().position());
            assertFalse(Files.exists(files.root().resolve("partition-2/chk-2/_metadata")),
                    "the stale manifest is taken back: it is not the newest, so deleting it lowers no id");
        }
    }

    /** The put stored the manifest but its response was lost: reading the key back shows it is ours. */
    @Test
    void aManifestPutWhoseResponseWasLostIsReadBackAndCounts() throws Exception {
        try (TestDb db = TestDb.open(temp.resolve("db"))) {
            PartitionCheckpointer partition = checkpoints.partition(P);
            store.loseNextPutIfAbsentResponse();
            CompletedCheckpoint committed = partition.checkpoint(db.put(100, "a").flush().checkpoint(temp), position("m1"), 1);
            assertEquals(1, committed.checkpointId());
            assertEquals(committed.manifest(), newest());
            assertEquals(2, partition.checkpoint(db.put(100, "b").flush().checkpoint(temp), position("m2"), 2).checkpointId());
        }
    }

    /** The put failed before storing: nothing committed, and the next attempt takes the same id again. */
    @Test
    void aManifestPutThatStoredNothingLeavesItsIdToTheNextAttempt() throws Exception {
        try (TestDb db = TestDb.open(temp.resolve("db"))) {
            PartitionCheckpointer partition = checkpoints.partition(P);
            store.failNextPutIfAbsent();
            Path dir = db.put(100, "a").flush().checkpoint(temp);
            assertThrows(IOException.class, () -> partition.checkpoint(dir, position("m1"), 1));
            assertEquals(1, partition.checkpoint(dir, position("m1"), 1).checkpointId());
        }
    }

    /** The put timed out, and meanwhile the new owner took the id: the old owner reads someone else's manifest back. */
    @Test
    void aManifestPutThatTimedOutWhileAnotherWriterTookTheIdConflicts() throws Exception {
        try (TestDb a = TestDb.open(temp.resolve("a")); TestDb b = TestDb.open(temp.resolve("b"))) {
            PartitionCheckpointer oldOwner = checkpoints.partition(P);
            oldOwner.checkpoint(a.put(100, "a1").flush().checkpoint(temp), position("a1"), 1);
            Checkpoints direct = new Checkpoints(files, 3, Duration.ofMinutes(10), new ManualClock());
            Path claim = b.put(100, "b").flush().checkpoint(temp);
            store.beforeNextPutIfAbsent(() -> {
                PartitionCheckpointer newOwner = direct.partition(P);
                newOwner.restore(temp.resolve("b-restore")).orElseThrow();
                newOwner.checkpoint(claim, position("a1"), 1);
            });
            store.failNextPutIfAbsent();
            Path inFlight = a.put(100, "a2").flush().checkpoint(temp);
            assertThrows(CheckpointConflictException.class, () -> oldOwner.checkpoint(inFlight, position("a2"), 2));
            assertArrayEquals(position("a1"), newest().position());
        }
    }

    /** Neither the put's answer nor the read back arrives: the outcome stays open, and is settled before the next attempt. */
    @Test
    void anUnknownOutcomeIsResolvedBeforeTheNextAttempt() throws Exception {
        try (TestDb db = TestDb.open(temp.resolve("db"))) {
            PartitionCheckpointer partition = checkpoints.partition(P);
            store.loseNextPutIfAbsentResponse();
            store.failGetsOf("partition-2/chk-1/_metadata", 10);
            assertThrows(IOException.class, () -> partition.checkpoint(db.put(100, "a").flush().checkpoint(temp),
                    position("m1"), 1), "not known to be committed: must not be acknowledged");
            store.failGetsOf("none", 0);
            CompletedCheckpoint next = partition.checkpoint(db.put(100, "b").flush().checkpoint(temp), position("m2"), 2);
            assertEquals(2, next.checkpointId(), "1 turned out to be ours: the next id follows it");
        }
    }

    /**
     * Deleting a savepoint whose part is the partition's newest manifest must not delete that manifest:
     * it is what the cursor was acknowledged to, and a new owner would otherwise restore an older state
     * and take an id that the in-flight upload of the old owner also holds.
     */
    @Test
    void deletingASavepointThatIsTheNewestCheckpointKeepsItUntilNewerOnesReplaceIt() throws Exception {
        try (TestDb a = TestDb.open(temp.resolve("a")); TestDb b = TestDb.open(temp.resolve("b"))) {
            PartitionCheckpointer oldOwner = checkpoints.partition(P);
            oldOwner.checkpoint(a.put(100, "a1").flush().checkpoint(temp), position("a1"), 1);
            oldOwner.savepoint("sp", a.put(100, "a2").flush().checkpoint(temp), position("a2"), 2);

            assertEquals(1, checkpoints.deleteSavepoint("sp"));
            assertEquals(List.of(), checkpoints.savepoints());
            assertEquals(java.util.Optional.empty(), checkpoints.partition(P).restoreSavepoint("sp", temp.resolve("none")));
            PartitionCheckpointer newOwner = checkpoints.partition(P);
            assertArrayEquals(position("a2"), newOwner.restore(temp.resolve("b-restore")).orElseThrow().manifest().position(),
                    "the newest checkpoint stays restorable");
            assertEquals(3, newOwner.checkpoint(b.put(100, "b").flush().checkpoint(temp), position("a2"), 2).checkpointId());
            assertThrows(CheckpointConflictException.class,
                    () -> oldOwner.checkpoint(a.put(100, "a3").flush().checkpoint(temp), position("a3"), 3));

            for (int i = 4; i <= 6; i++) {
                newOwner.checkpoint(b.put(100, "b" + i).flush().checkpoint(temp), position("b" + i), i);
            }
            assertFalse(Files.exists(files.root().resolve("partition-2/chk-2")), "retention deleted the savepoint once replaced");
        }
    }

    // --- helpers ---

    private Manifest newest() throws IOException {
        return StoredManifests.newest(files, P).orElseThrow();
    }

    private RestoredCheckpoint restoreNewest() throws IOException {
        return new Checkpoints(files).partition(P).restore(temp.resolve("check-" + System.nanoTime())).orElseThrow();
    }

    private record InFlight(FailingStore.Pause paused, CompletableFuture<CompletedCheckpoint> result) {
    }

    /** Old owner A committed a1, and its checkpoint of a2 is paused between its uploads and its manifest put of 2. */
    private InFlight oldOwnerPausedBeforeItsManifest(TestDb a) throws Exception {
        PartitionCheckpointer oldOwner = checkpoints.partition(P);
        oldOwner.checkpoint(a.put(100, "a1").flush().checkpoint(temp), position("a1"), 1);
        FailingStore.Pause paused = store.pauseNextPutIfAbsentOf("partition-2/chk-2/_metadata");
        Path inFlight = a.put(100, "a2").flush().checkpoint(temp);
        CompletableFuture<CompletedCheckpoint> result = CompletableFuture.supplyAsync(() -> {
            try {
                return oldOwner.checkpoint(inFlight, position("a2"), 2);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        paused.awaitReached();
        return new InFlight(paused, result);
    }

    private static byte[] position(String messageId) {
        return messageId.getBytes(StandardCharsets.UTF_8);
    }
}
