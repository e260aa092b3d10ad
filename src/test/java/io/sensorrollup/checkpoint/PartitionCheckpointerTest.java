package io.sensorrollup.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint protocol on a local-directory store, with real RocksDB checkpoints. */
class PartitionCheckpointerTest {

    private static final int P = 3;

    @TempDir
    Path temp;

    private FileCheckpointStore store;
    private ManualClock clock;
    private Checkpoints checkpoints;

    @BeforeEach
    void setUp() throws Exception {
        store = new FileCheckpointStore(Files.createDirectories(temp.resolve("store")));
        clock = new ManualClock();
        checkpoints = new Checkpoints(store, 3, Duration.ofMinutes(10), clock);
    }

    @Test
    void secondCheckpointUploadsOnlyTheNewSstFile() throws Exception {
        try (TestDb db = TestDb.open(temp.resolve("db"))) {
            PartitionCheckpointer partition = checkpoints.partition(P);
            Path first = db.put(2000, "a").flush().checkpoint(temp);
            CompletedCheckpoint c1 = partition.checkpoint(first, position("m1"), 100);
            assertEquals(1, c1.checkpointId());
            assertEquals(storedFileCount(first), c1.filesUploaded());
            assertEquals(totalSize(first), c1.bytesUploaded());
            assertEquals(0, c1.filesReused());
            assertEquals(Set.of("000009.sst"), sstNames(first));
            assertTrue(c1.manifest().files().stream().anyMatch(f -> f.name().endsWith(".log") && f.isEmpty() && f.path().isEmpty()),
                    "the flushed WAL is empty and not stored: " + c1.manifest().files());

            Path second = db.put(2000, "bb").flush().checkpoint(temp);
            CompletedCheckpoint c2 = partition.checkpoint(second, position("m2"), 200);
            assertEquals(2, c2.checkpointId());
            Set<String> newSst = new HashSet<>(sstNames(second));
            newSst.removeAll(sstNames(first));
            assertEquals(1, newSst.size());
            assertEquals(1, c2.filesReused());
            assertEquals(Files.size(first.resolve("000009.sst")), c2.bytesReused());
            assertEquals(storedFileCount(second) - 1, c2.filesUploaded());
            assertEquals(totalSize(second) - c2.bytesReused(), c2.bytesUploaded());

            // the store holds each SST once, under shared/, and the small files per checkpoint
            List<String> shared = keys("partition-3/shared/");
            assertEquals(2, shared.size(), shared.toString());
            assertTrue(shared.stream().anyMatch(k -> k.startsWith("partition-3/shared/000009-")), shared.toString());
            for (long id : List.of(1L, 2L)) {
                List<String> chk = keys("partition-3/chk-" + id + "/");
                assertTrue(chk.contains("partition-3/chk-" + id + "/_metadata"), chk.toString());
                assertTrue(chk.stream().noneMatch(k -> k.endsWith(".sst")), chk.toString());
            }
            assertEquals(c2.manifest(), ManifestCodec.decode(store.getBytes("partition-3/chk-2/_metadata")));
            assertTrue(c2.location().endsWith("/store/partition-3/chk-2"), c2.location());
        }
    }

    @Test
    void aSecondWriterOfTheSameCheckpointConflictsAndTheFirstManifestStaysIntact() throws Exception {
        try (TestDb mine = TestDb.open(temp.resolve("mine")); TestDb theirs = TestDb.open(temp.resolve("theirs"))) {
            PartitionCheckpointer me = checkpoints.partition(P);
            PartitionCheckpointer other = checkpoints.partition(P);
            assertEquals(Optional.empty(), me.restore(temp.resolve("restore-me")));
            assertEquals(Optional.empty(), other.restore(temp.resolve("restore-other")));

            CompletedCheckpoint won = me.checkpoint(mine.put(1000, "mine").flush().checkpoint(temp), position("m"), 1);
            Path theirCheckpoint = theirs.put(1000, "theirs!").flush().checkpoint(temp);
            CheckpointConflictException lost = assertThrows(CheckpointConflictException.class,
                    () -> other.checkpoint(theirCheckpoint, position("t"), 2));
            assertEquals(1, lost.checkpointId());
            assertEquals(P, lost.partition());
            // the loser stays out: it never writes again
            assertThrows(CheckpointConflictException.class, () -> other.checkpoint(theirCheckpoint, position("t"), 2));

            assertEquals(won.manifest(), ManifestCodec.decode(store.getBytes("partition-3/chk-1/_metadata")));
            assertEquals(List.of(), corruptFiles(won.manifest()));
            assertEquals(1, checkpoints.partition(P).restore(temp.resolve("check")).orElseThrow().checkpointId());
            assertEquals(mine.contents(), TestDb.contentsOf(temp.resolve("check")));
        }
    }

    @Test
    void aHandOverSaysSoInItsManifestAndItsWriterCommitsNothingAfterIt() throws Exception {
        try (TestDb db = TestDb.open(temp.resolve("db"))) {
            PartitionCheckpointer leaving = checkpoints.partition(P);
            leaving.checkpoint(db.put(100, "a").flush().checkpoint(temp), position("m1"), 1);
            CompletedCheckpoint last = leaving.handOver(db.put(100, "b").flush().checkpoint(temp), position("m2"), 2);
            assertTrue(last.manifest().handOver());
            assertTrue(manifests().stream().filter(m -> m.checkpointId() == 2).allMatch(Manifest::handOver), "stored as a hand-over");
            assertTrue(manifests().stream().filter(m -> m.checkpointId() == 1).noneMatch(Manifest::handOver));
            Path later = db.put(100, "c").flush().checkpoint(temp);
            assertThrows(IllegalStateException.class, () -> leaving.checkpoint(later, position("m3"), 3));
            assertEquals(2, manifests().stream().mapToLong(Manifest::checkpointId).max().orElseThrow());
        }
    }

    @Test
    void aClaimLeavesRetentionToTheNextCheckpoint() throws Exception {
        try (TestDb db = TestDb.open(temp.resolve("db"))) {
            PartitionCheckpointer previous = checkpoints.partition(P);
            for (int round = 1; round <= 3; round++) {
                previous.checkpoint(db.put(100, "r" + round).flush().checkpoint(temp), position("m" + round), round);
            }
            PartitionCheckpointer next = checkpoints.partition(P);
            Path restored = temp.resolve("restored");
            next.restore(restored);
            CompletedCheckpoint claim = next.claim(db.checkpoint(temp), position("m3"), 3);
            assertEquals(0, claim.objectsDeleted(), "nothing deleted on the way to the first reading");
            assertEquals(4, manifests().size());
            next.checkpoint(db.put(100, "r5").flush().checkpoint(temp), position("m5"), 5);
            assertEquals(3, manifests().size(), "the next checkpoint applies retention");
        }
    }

    @Test
    void aWriterThatSeesANewerCheckpointItDidNotWriteStops() throws Exception {
        try (TestDb old = TestDb.open(temp.resolve("old")); TestDb fresh = TestDb.open(temp.resolve("new"))) {
            PartitionCheckpointer zombie = checkpoints.partition(P);
            zombie.checkpoint(old.put(100, "z").flush().checkpoint(temp), position("z1"), 1);

            PartitionCheckpointer owner = checkpoints.partition(P);
            owner.restore(temp.resolve("owner-restore")).orElseThrow();
            owner.checkpoint(fresh.put(100, "o").flush().checkpoint(temp), position("o2"), 2);
            owner.checkpoint(fresh.put(100, "oo").flush().checkpoint(temp), position("o3"), 3);

            // the zombie's next id (2) is taken
            assertThrows(CheckpointConflictException.class,
                    () -> zombie.checkpoint(old.put(100, "zz").flush().checkpoint(temp), position("z2"), 2));
            assertEquals("o3", new String(checkpoints.partition(P).restore(temp.resolve("r")).orElseThrow()
                    .manifest().position(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void retentionKeepsOnlyWhatTheNewestCheckpointsListAndStraysUntilTheGracePeriodEnds() throws Exception {
        try (TestDb db = TestDb.open(temp.resolve("db"))) {
            PartitionCheckpointer partition = checkpoints.partition(P);
            store.put("partition-3/shared/000999-0123456789abcdef.sst", stray("a failed upload"));
            store.put("partition-3/chk-0/CURRENT-0123456789abcdef", stray("a checkpoint that never committed"));
            int deletedTotal = 0;
            for (int round = 1; round <= 9; round++) {
                db.put(1500, "round" + round).flush();
                if (round % 3 == 0) {
                    db.compact(); // replaces every SST: the older checkpoints' files become unreferenced
                }
                CompletedCheckpoint done = partition.checkpoint(db.checkpoint(temp), position("m" + round), round);
                deletedTotal += done.objectsDeleted();

                List<Manifest> manifests = manifests();
                assertEquals(Math.min(round, 3), manifests.size());
                assertEquals(done.checkpointId(), manifests.get(manifests.size() - 1).checkpointId());
                Set<String> listed = listedKeys(manifests);
                for (String key : keys("partition-3/")) {
                    boolean youngStray = key.contains("0123456789abcdef");
                    assertTrue(listed.contains(key) || youngStray, key + " is listed by no kept manifest");
                }
                for (Manifest m : manifests) {
                    assertEquals(List.of(), corruptFiles(m));
                }
            }
            assertTrue(deletedTotal > 0);
            assertEquals(2, keys("partition-3/").stream().filter(k -> k.contains("0123456789abcdef")).count());

            clock.advance(Duration.ofMinutes(11));
            partition.checkpoint(db.put(10, "late").flush().checkpoint(temp), position("m10"), 10);
            assertEquals(listedKeys(manifests()), new HashSet<>(keys("partition-3/")));
        }
    }

    @Test
    void restoreGivesBackTheStateOfTheCheckpointWithItsPositionAndWatermark() throws Exception {
        Map<String, String> atCheckpoint;
        try (TestDb db = TestDb.open(temp.resolve("db"))) {
            PartitionCheckpointer partition = checkpoints.partition(P);
            partition.checkpoint(db.put(3000, "first").flush().checkpoint(temp), position("m1"), 1);
            partition.checkpoint(db.put(1000, "second").put("only-in-2", "x").flush().checkpoint(temp), position("m2"), 22);
            atCheckpoint = db.contents();
            db.put(500, "after-the-checkpoint").flush();
        }
        PartitionCheckpointer afterCrash = checkpoints.partition(P);
        Path target = temp.resolve("restored");
        RestoredCheckpoint restored = afterCrash.restore(target).orElseThrow();
        assertEquals(2, restored.checkpointId());
        assertArrayEquals(position("m2"), restored.manifest().position());
        assertEquals(22, restored.manifest().watermark());
        assertEquals(restored.manifest().files().stream().filter(f -> !f.isEmpty()).count(), restored.filesDownloaded());
        assertEquals(restored.manifest().totalBytes(), restored.bytesDownloaded());
        assertEquals(atCheckpoint, TestDb.contentsOf(target));
        assertEquals(restored.manifest().files().stream().map(CheckpointFile::name).collect(Collectors.toSet()),
                names(target));

        // ids continue after the restored one, and the first checkpoint after a restore reuses its SSTs
        int restoredSsts = sstNames(target).size();
        try (TestDb db = TestDb.open(target)) {
            CompletedCheckpoint next = afterCrash.checkpoint(db.put("k", "v").flush().checkpoint(temp), position("m3"), 3);
            assertEquals(3, next.checkpointId());
            assertEquals(restoredSsts, next.filesReused());
        }
    }

    @Test
    void restoreIntoADirectoryThatHoldsTheCheckpointDownloadsNothing() throws Exception {
        try (TestDb db = TestDb.open(temp.resolve("db"))) {
            checkpoints.partition(P).checkpoint(db.put(2000, "x").flush().put(10, "y").flush().checkpoint(temp), position("m"), 1);
        }
        Path volume = temp.resolve("volume");
        RestoredCheckpoint first = checkpoints.partition(P).restore(volume).orElseThrow();
        assertTrue(first.bytesDownloaded() > 0);
        Files.writeString(volume.resolve("000999.log"), "a WAL the checkpoint does not have");

        RestoredCheckpoint again = checkpoints.partition(P).restore(volume).orElseThrow();
        assertEquals(0, again.filesDownloaded());
        assertEquals(0, again.bytesDownloaded());
        assertEquals(first.manifest().files().size(), again.filesReused());
        assertFalse(Files.exists(volume.resolve("000999.log")), "a file the checkpoint lacks would be replayed on open");
    }

    @Test
    void noCheckpointMeansEmptyAndTheDirectoryIsLeftAlone() throws Exception {
        Path target = temp.resolve("nothing");
        assertEquals(Optional.empty(), checkpoints.partition(P).restore(target));
        assertFalse(Files.exists(target));
        // a chk-n without manifest is not a checkpoint, and holds no id: ids count manifests only
        store.put("partition-3/chk-1/CURRENT-0123456789abcdef", stray("MANIFEST-000005\n"));
        assertEquals(Optional.empty(), checkpoints.partition(P).restore(target));
        try (TestDb db = TestDb.open(temp.resolve("db"))) {
            assertEquals(1, checkpoints.partition(P).checkpoint(db.put(1, "a").flush().checkpoint(temp), position("m"), 1).checkpointId());
        }
    }

    /**
     * After a restore from an older checkpoint, RocksDB numbers new files from that older state: a new
     * 000017.sst appears whose name a newer checkpoint of the old lineage already used, with other
     * content. Keyed by name alone, the new checkpoint would list the old lineage's bytes.
     */
    @Test
    void anSstNameReusedAfterRestoringAnOlderCheckpointDoesNotMixContents() throws Exception {
        Manifest oldLineage;
        try (TestDb db = TestDb.open(temp.resolve("db"))) {
            PartitionCheckpointer partition = checkpoints.partition(P);
            partition.savepoint("base", db.put(1000, "v1").flush().checkpoint(temp), position("m1"), 1);
            for (int i = 0; i < 4; i++) {
                db.put(1000, "v2").flush();
            }
            oldLineage = partition.checkpoint(db.checkpoint(temp), position("m2"), 2).manifest();
        }
        PartitionCheckpointer newOwner = checkpoints.partition(P);
        Path target = temp.resolve("from-base");
        assertEquals(1, newOwner.restoreSavepoint("base", target).orElseThrow().checkpointId());
        Map<String, String> expected;
        Manifest newLineage;
        try (TestDb db = TestDb.open(target)) {
            newLineage = newOwner.checkpoint(db.put(1000, "v3").flush().checkpoint(temp), position("m3"), 3).manifest();
            expected = db.contents();
        }
        Map<String, CheckpointFile> old = byName(oldLineage);
        List<CheckpointFile> collisions = newLineage.files().stream()
                .filter(f -> f.name().endsWith(".sst") && old.containsKey(f.name())
                        && !old.get(f.name()).sha256().equals(f.sha256()))
                .toList();
        assertFalse(collisions.isEmpty(), "the scenario must produce a name collision: " + oldLineage + " / " + newLineage);
        for (CheckpointFile collision : collisions) {
            assertNotEquals(old.get(collision.name()).path(), collision.path());
        }
        for (Manifest m : manifests()) {
            assertEquals(List.of(), corruptFiles(m));
        }
        checkpoints.partition(P).restore(temp.resolve("latest")).orElseThrow();
        assertEquals(expected, TestDb.contentsOf(temp.resolve("latest")));
        assertEquals(expected.get("key-00001"), "v3-1");
    }

    /** The engine recreates its database from scratch but keeps the handle: same file names and sizes, other bytes. */
    @Test
    void aDatabaseRecreatedUnderTheSameHandleIsNotMistakenForTheOldOne() throws Exception {
        PartitionCheckpointer partition = checkpoints.partition(P);
        Path first;
        try (TestDb db = TestDb.open(temp.resolve("db"))) {
            first = db.put(1000, "v1").flush().checkpoint(temp);
            partition.checkpoint(first, position("m1"), 1);
        }
        Map<String, String> expected;
        Path second;
        try (TestDb db = TestDb.open(temp.resolve("db-again"))) {
            second = db.put(1000, "v2").flush().checkpoint(temp);
            expected = db.contents();
        }
        assertEquals(Files.size(first.resolve("000009.sst")), Files.size(second.resolve("000009.sst")),
                "the scenario needs the same name and size");
        CompletedCheckpoint again = partition.checkpoint(second, position("m2"), 2);
        assertEquals(0, again.filesReused());
        checkpoints.partition(P).restore(temp.resolve("r")).orElseThrow();
        assertEquals(expected, TestDb.contentsOf(temp.resolve("r")));
    }

    @Test
    void aSavepointOutlivesRetentionUntilDeleted() throws Exception {
        try (TestDb db = TestDb.open(temp.resolve("db"))) {
            PartitionCheckpointer partition = checkpoints.partition(P);
            CompletedCheckpoint sp = partition.savepoint("before-upgrade", db.put(2000, "sp").flush().checkpoint(temp),
                    position("msp"), 7);
            Map<String, String> atSavepoint = db.contents();
            assertThrows(IllegalArgumentException.class,
                    () -> partition.savepoint("before-upgrade", db.checkpoint(temp), position("x"), 7));
            for (int round = 0; round < 6; round++) {
                db.put(2000, "r" + round).flush().compact();
                partition.checkpoint(db.checkpoint(temp), position("m" + round), round);
            }
            List<Manifest> kept = manifests();
            assertEquals(4, kept.size());
            assertEquals(sp.manifest(), kept.get(0));
            assertEquals(List.of(), corruptFiles(sp.manifest()));

            List<Savepoint> savepoints = checkpoints.savepoints();
            assertEquals(1, savepoints.size());
            assertEquals("before-upgrade", savepoints.get(0).name());
            assertEquals(List.of(sp.manifest()), savepoints.get(0).manifests());

            RestoredCheckpoint restored = checkpoints.partition(P).restoreSavepoint("before-upgrade", temp.resolve("sp")).orElseThrow();
            assertArrayEquals(position("msp"), restored.manifest().position());
            assertEquals(atSavepoint, TestDb.contentsOf(temp.resolve("sp")));
            assertEquals(Optional.empty(), checkpoints.partition(P).restoreSavepoint("nope", temp.resolve("none")));

            assertEquals(1, checkpoints.deleteSavepoint("before-upgrade"));
            assertEquals(List.of(), checkpoints.savepoints());
            partition.checkpoint(db.put(1, "after").flush().checkpoint(temp), position("m9"), 9);
            assertEquals(3, manifests().size());
            assertEquals(listedKeys(manifests()), new HashSet<>(keys("partition-3/")));
        }
    }

    @Test
    void partitionsDoNotShareFiles() throws Exception {
        try (TestDb db = TestDb.open(temp.resolve("db"))) {
            Path dir = db.put(100, "x").flush().checkpoint(temp);
            checkpoints.partition(3).checkpoint(dir, position("a"), 1);
            CompletedCheckpoint thirty = checkpoints.partition(30).checkpoint(dir, position("b"), 1);
            assertEquals(0, thirty.filesReused());
            assertEquals(1, thirty.checkpointId());
            assertEquals(Set.of(3, 30), Set.of(checkpoints.partition(3).restore(temp.resolve("r3")).orElseThrow().manifest().partition(),
                    checkpoints.partition(30).restore(temp.resolve("r30")).orElseThrow().manifest().partition()));
        }
    }

    // --- helpers ---

    private static byte[] position(String messageId) {
        return messageId.getBytes(StandardCharsets.UTF_8);
    }

    private Path stray(String content) throws Exception {
        return Files.writeString(Files.createTempFile(temp, "stray", ""), content);
    }

    private List<String> keys(String prefix) throws Exception {
        return store.list(prefix).stream().map(StoredObject::key).toList();
    }

    /** The partition's manifests in the store, oldest first. */
    private List<Manifest> manifests() throws Exception {
        return StoredManifests.of(store, P);
    }

    private static Set<String> listedKeys(List<Manifest> manifests) {
        Set<String> keys = new HashSet<>();
        for (Manifest m : manifests) {
            keys.add("partition-" + m.partition() + "/chk-" + m.checkpointId() + "/_metadata");
            m.files().stream().filter(f -> !f.isEmpty())
                    .forEach(f -> keys.add("partition-" + m.partition() + "/" + f.path()));
        }
        return keys;
    }

    /** Files of the manifest that are missing from the store or have other content. */
    private List<String> corruptFiles(Manifest manifest) throws Exception {
        return StoredManifests.damage(store, manifest, temp);
    }

    private static Map<String, CheckpointFile> byName(Manifest manifest) {
        return manifest.files().stream().collect(Collectors.toMap(CheckpointFile::name, f -> f));
    }

    private static Set<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    private static Set<String> sstNames(Path dir) throws Exception {
        return names(dir).stream().filter(n -> n.endsWith(".sst")).collect(Collectors.toSet());
    }

    /** Files of the directory that a checkpoint stores: all but the empty ones. */
    private static int storedFileCount(Path dir) throws Exception {
        int count = 0;
        for (String name : names(dir)) {
            count += Files.size(dir.resolve(name)) > 0 ? 1 : 0;
        }
        return count;
    }

    private static long totalSize(Path dir) throws Exception {
        long total = 0;
        for (String name : names(dir)) {
            total += Files.size(dir.resolve(name));
        }
        return total;
    }
}
