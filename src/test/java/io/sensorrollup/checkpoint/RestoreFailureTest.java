package io.sensorrollup.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restore that cannot read the newest checkpoint fails; it never restores an older one or none
 * (issue 12, item 7; CONTRACT §6): a store that does not answer is
 * {@link CheckpointStoreUnavailableException} (wait, retry), a store that answers with something unusable
 * is {@link CheckpointDamagedException} naming the key (report, do not claim).
 */
class RestoreFailureTest {

    private static final int P = 4;

    @TempDir
    Path temp;

    private FileCheckpointStore files;
    private FailingStore store;
    private Checkpoints checkpoints;
    private Manifest one;
    private Manifest two;

    @BeforeEach
    void twoCheckpoints() throws Exception {
        files = new FileCheckpointStore(Files.createDirectories(temp.resolve("store")));
        store = new FailingStore(files);
        checkpoints = new Checkpoints(store, 3, Duration.ofMinutes(10), new ManualClock());
        try (TestDb db = TestDb.open(temp.resolve("db"))) {
            PartitionCheckpointer partition = checkpoints.partition(P);
            one = partition.checkpoint(db.put(1000, "one").flush().checkpoint(temp), position("m1"), 1).manifest();
            two = partition.checkpoint(db.put(1000, "two").flush().checkpoint(temp), position("m2"), 2).manifest();
        }
    }

    @Test
    void aNewestManifestThatCannotBeReadIsNotSkipped() {
        store.failNextGetOf("partition-4/chk-2/_metadata");
        CheckpointStoreUnavailableException e = assertThrows(CheckpointStoreUnavailableException.class,
                () -> checkpoints.partition(P).restore(temp.resolve("r")));
        assertTrue(e.getMessage().contains("partition-4/chk-2/_metadata"), e.getMessage());
        assertFalse(Files.exists(temp.resolve("r")), "nothing restored");
    }

    @Test
    void theOnlyManifestUnreadableIsNotNoCheckpoint() throws Exception {
        store.delete(List.of("partition-4/chk-2/_metadata"));
        store.failNextGetOf("partition-4/chk-1/_metadata");
        assertThrows(CheckpointStoreUnavailableException.class, () -> checkpoints.partition(P).restore(temp.resolve("r")));
    }

    @Test
    void anOlderManifestThatCannotBeReadFailsTheRestoreToo() {
        // its files may be what retention must keep: the view of the partition is incomplete
        store.failNextGetOf("partition-4/chk-1/_metadata");
        assertThrows(CheckpointStoreUnavailableException.class, () -> checkpoints.partition(P).restore(temp.resolve("r")));
    }

    @Test
    void aFailedListingFailsTheRestore() {
        store.failNextList();
        assertThrows(CheckpointStoreUnavailableException.class, () -> checkpoints.partition(P).restore(temp.resolve("r")));
    }

    @Test
    void aFailedDownloadFailsTheRestore() {
        store.failNextGetOf("partition-4/shared/.*");
        assertThrows(CheckpointStoreUnavailableException.class, () -> checkpoints.partition(P).restore(temp.resolve("r")));
    }

    @Test
    void aStoreThatAnswersAgainGivesTheNewestCheckpoint() throws Exception {
        store.failNextGetOf("partition-4/chk-2/_metadata");
        PartitionCheckpointer partition = checkpoints.partition(P);
        assertThrows(CheckpointStoreUnavailableException.class, () -> partition.restore(temp.resolve("r")));
        assertEquals(two, partition.restore(temp.resolve("r")).orElseThrow().manifest());
    }

    @Test
    void aNewestManifestThatDoesNotDecodeIsDamageNamedByItsKey() throws Exception {
        replaceManifest(2, "{\"format\":1,\"partition\":".getBytes(StandardCharsets.UTF_8));
        CheckpointDamagedException e = assertThrows(CheckpointDamagedException.class,
                () -> checkpoints.partition(P).restore(temp.resolve("r")));
        assertEquals("partition-4/chk-2/_metadata", e.key());
        assertTrue(e.getMessage().contains("partition-4/chk-2/_metadata"), e.getMessage());
    }

    @Test
    void aNewestManifestNamingAnotherCheckpointIsDamage() throws Exception {
        replaceManifest(2, ManifestCodec.encode(one));
        CheckpointDamagedException e = assertThrows(CheckpointDamagedException.class,
                () -> checkpoints.partition(P).restore(temp.resolve("r")));
        assertEquals("partition-4/chk-2/_metadata", e.key());
    }

    @Test
    void aNewestCheckpointWithAMissingFileIsDamageNotAReasonToTakeAnOlderOne() throws Exception {
        CheckpointFile sst = newestSst(two);
        store.delete(List.of("partition-4/" + sst.path()));
        CheckpointDamagedException e = assertThrows(CheckpointDamagedException.class,
                () -> checkpoints.partition(P).restore(temp.resolve("r")));
        assertEquals("partition-4/" + sst.path(), e.key());
    }

    @Test
    void aNewestCheckpointWithAShortFileIsDamageFoundBeforeDownloading() throws Exception {
        CheckpointFile sst = newestSst(two);
        files.put("partition-4/" + sst.path(), Files.writeString(temp.resolve("short"), "short"));
        CheckpointDamagedException e = assertThrows(CheckpointDamagedException.class,
                () -> checkpoints.partition(P).restore(temp.resolve("r")));
        assertEquals("partition-4/" + sst.path(), e.key());
        assertTrue(e.getMessage().contains("5 bytes instead of " + sst.size()), e.getMessage());
        assertFalse(Files.exists(temp.resolve("r")), "nothing downloaded");
    }

    @Test
    void aNewestCheckpointWithAFileOfOtherContentIsDamage() throws Exception {
        CheckpointFile sst = newestSst(two);
        Path copy = temp.resolve("copy");
        files.get("partition-4/" + sst.path(), copy);
        byte[] flipped = Files.readAllBytes(copy);
        flipped[flipped.length / 2] ^= 1;
        Files.write(copy, flipped);
        files.put("partition-4/" + sst.path(), copy);
        CheckpointDamagedException e = assertThrows(CheckpointDamagedException.class,
                () -> checkpoints.partition(P).restore(temp.resolve("r")));
        assertEquals("partition-4/" + sst.path(), e.key());
    }

    /** The old owner checkpointed on while this restore read: its newest listed manifest went to retention. */
    @Test
    void aManifestDeletedBetweenListingAndReadingMeansANewerOneExists() throws Exception {
        Checkpoints direct = new Checkpoints(files, 3, Duration.ofMinutes(10), new ManualClock());
        store.beforeNextGetOf("partition-4/chk-2/_metadata", () -> {
            try (TestDb db = TestDb.open(temp.resolve("db"))) {
                PartitionCheckpointer owner = direct.partition(P);
                owner.restore(temp.resolve("owner"));
                for (int i = 3; i <= 5; i++) {
                    owner.checkpoint(db.put(1000, "v" + i).flush().checkpoint(temp), position("m" + i), i);
                }
            }
        });
        RestoredCheckpoint restored = checkpoints.partition(P).restore(temp.resolve("r")).orElseThrow();
        assertArrayEquals(position("m5"), restored.manifest().position());
    }

    @Test
    void savepointsCannotBeListedWhileAManifestCannotBeRead() throws Exception {
        try (TestDb db = TestDb.open(temp.resolve("db2"))) {
            checkpoints.partition(P).savepoint("sp", db.put(10, "sp").flush().checkpoint(temp), position("sp"), 3);
        }
        store.failNextGetOf("partition-4/chk-3/_metadata");
        assertThrows(CheckpointStoreUnavailableException.class, () -> new Checkpoints(store).savepoints(),
                "a listing without savepoint sp would let deleteSavepoint miss a part");
    }

    // --- helpers ---

    private void replaceManifest(long id, byte[] bytes) throws Exception {
        String key = "partition-4/chk-" + id + "/_metadata";
        store.delete(List.of(key));
        assertTrue(files.putIfAbsent(key, bytes));
    }

    private static CheckpointFile newestSst(Manifest manifest) {
        return manifest.files().stream().filter(f -> f.name().endsWith(".sst"))
                .max(java.util.Comparator.comparing(CheckpointFile::name)).orElseThrow();
    }

    private static byte[] position(String messageId) {
        return messageId.getBytes(StandardCharsets.UTF_8);
    }
}
