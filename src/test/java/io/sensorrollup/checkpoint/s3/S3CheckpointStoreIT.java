package io.sensorrollup.checkpoint.s3;

import io.sensorrollup.checkpoint.TestDb;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorrollup.checkpoint.CheckpointStore;
import io.sensorrollup.checkpoint.CheckpointStoreContract;
import io.sensorrollup.checkpoint.Checkpoints;
import io.sensorrollup.checkpoint.CompletedCheckpoint;
import io.sensorrollup.checkpoint.PartitionCheckpointer;
import io.sensorrollup.checkpoint.RestoredCheckpoint;
import io.sensorrollup.checkpoint.StoredObject;
import io.sensorrollup.it.LocalServersResource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rocksdb.Checkpoint;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/** The store contract and one incremental checkpoint + restore against the local s3proxy of dev/services. */
class S3CheckpointStoreIT extends CheckpointStoreContract {

    private static final String BUCKET = "checkpoint-store-it";
    private static S3Client s3;

    @BeforeAll
    static void connect() {
        // reads the running servers' endpoint and keys; starting them is dev/services' job (dev/test)
        Map<String, String> env = LocalServersResource.servers().env();
        s3 = LocalServersResource.s3(env);
        try {
            s3.headBucket(b -> b.bucket(BUCKET));
        } catch (NoSuchBucketException missing) {
            s3.createBucket(b -> b.bucket(BUCKET));
        }
    }

    @AfterAll
    static void disconnect() {
        s3.close();
    }

    private final List<CheckpointStore> stores = new ArrayList<>();

    /** Every test gets a fresh prefix, so runs and tests never see each other's objects. */
    @Override
    protected CheckpointStore store() {
        CheckpointStore store = new S3CheckpointStore(s3, BUCKET, "it-" + UUID.randomUUID());
        stores.add(store);
        return store;
    }

    @AfterEach
    void deleteWhatTheTestStored() throws Exception {
        for (CheckpointStore store : stores) {
            store.delete(store.list("").stream().map(StoredObject::key).toList());
        }
    }

    @Test
    void incrementalCheckpointAndRestoreRoundTrip() throws Exception {
        CheckpointStore store = store();
        Checkpoints checkpoints = new Checkpoints(store);
        RocksDB.loadLibrary();
        Map<String, String> atCheckpoint;
        try (Options options = new Options().setCreateIfMissing(true).setDisableAutoCompactions(true);
                RocksDB db = RocksDB.open(options, temp.resolve("db").toString())) {
            PartitionCheckpointer partition = checkpoints.partition(5);
            put(db, "a", 3000);
            CompletedCheckpoint first = partition.checkpoint(checkpoint(db, "c1"), bytes("m1"), 10);
            put(db, "b", 500);
            CompletedCheckpoint second = partition.checkpoint(checkpoint(db, "c2"), bytes("m2"), 20);
            assertEquals(0, first.filesReused());
            assertEquals(1, second.filesReused());
            assertEquals(first.bytesUploaded() + second.bytesUploaded(),
                    store.list("partition-5/").stream().filter(o -> !o.key().endsWith("_metadata"))
                            .mapToLong(StoredObject::size).sum());
            assertTrue(second.location().startsWith("s3://" + BUCKET + "/it-"), second.location());
            atCheckpoint = TestDb.contents(db);
        }
        RestoredCheckpoint restored = checkpoints.partition(5).restore(temp.resolve("restored")).orElseThrow();
        assertEquals(2, restored.checkpointId());
        assertArrayEquals(bytes("m2"), restored.manifest().position());
        assertEquals(restored.manifest().totalBytes(), restored.bytesDownloaded());
        try (Options options = new Options(); RocksDB db = RocksDB.openReadOnly(options, temp.resolve("restored").toString())) {
            assertEquals(atCheckpoint, TestDb.contents(db));
        }
        assertEquals(0, checkpoints.partition(5).restore(temp.resolve("restored")).orElseThrow().bytesDownloaded());
    }

    @Test
    void afterManyCheckpointsEveryObjectBelongsToAKeptCheckpointOrSavepointAndStraysPastTheirGraceAreGone() throws Exception {
        CheckpointStore store = store();
        store.putIfAbsent("partition-5/shared/000007-0000000000000000.sst", new byte[] {1, 2, 3}); // a failed upload's leftover
        Checkpoints checkpoints = new Checkpoints(store, 3, Duration.ZERO, java.time.Clock.systemUTC());
        RocksDB.loadLibrary();
        List<CompletedCheckpoint> completed = new ArrayList<>();
        try (Options options = new Options().setCreateIfMissing(true);
                RocksDB db = RocksDB.open(options, temp.resolve("db").toString())) {
            PartitionCheckpointer partition = checkpoints.partition(5);
            for (int round = 0; round < 12; round++) {
                put(db, "round-" + round + "-", 2_000);
                if (round % 4 == 3) {
                    db.compactRange(); // merges the SST files: older ones fall out of later checkpoints
                }
                completed.add(round == 1
                        ? partition.savepoint("kept-until-deleted", checkpoint(db, "c" + round), bytes("m" + round), round)
                        : partition.checkpoint(checkpoint(db, "c" + round), bytes("m" + round), round));
            }
        }
        List<StoredObject> objects = store.list("partition-5/");
        Set<String> kept = new TreeSet<>();
        List<CompletedCheckpoint> keptCheckpoints = new ArrayList<>(completed.subList(completed.size() - 3, completed.size()));
        keptCheckpoints.add(completed.get(1));
        for (CompletedCheckpoint c : keptCheckpoints) {
            kept.add("partition-5/chk-" + c.checkpointId() + "/_metadata");
            c.manifest().files().stream().filter(f -> !f.isEmpty()).forEach(f -> kept.add("partition-5/" + f.path()));
        }
        assertEquals(kept, objects.stream().map(StoredObject::key).collect(java.util.stream.Collectors.toCollection(TreeSet::new)),
                "exactly the files of the last 3 manifests and of the savepoint, and those manifests");
        assertEquals(4, objects.stream().filter(o -> o.key().endsWith("/_metadata")).count(), "retained 3 + 1 savepoint");
        assertTrue(completed.get(1).manifest().files().stream().anyMatch(f -> f.path().startsWith("shared/")
                && completed.get(11).manifest().files().stream().noneMatch(g -> g.path().equals(f.path()))),
                "the savepoint holds SST files no newer checkpoint lists (compactions merged them away), and they are kept");
        assertTrue(completed.get(10).filesReused() > 0, "checkpoints share files (the 11th follows no compaction)");
    }

    /**
     * Issue 12 item 6 on real conditional puts: the new owner claims after restoring, so the old owner's
     * next manifest (same id) is refused; an owner whose view is older than retention's window finds the
     * newer manifest after its put, and neither acknowledges.
     */
    @Test
    void aClaimFencesTheOldOwnerAndAStaleClaimConflictsToo() throws Exception {
        CheckpointStore store = store();
        Checkpoints checkpoints = new Checkpoints(store, 3, Duration.ofMinutes(10), java.time.Clock.systemUTC());
        RocksDB.loadLibrary();
        try (Options options = new Options().setCreateIfMissing(true);
                RocksDB db = RocksDB.open(options, temp.resolve("db").toString())) {
            PartitionCheckpointer oldOwner = checkpoints.partition(6);
            put(db, "a", 100);
            oldOwner.checkpoint(checkpoint(db, "a1"), bytes("a1"), 1);
            PartitionCheckpointer stale = checkpoints.partition(6);
            stale.restore(temp.resolve("stale")).orElseThrow();

            PartitionCheckpointer newOwner = checkpoints.partition(6);
            newOwner.restore(temp.resolve("new")).orElseThrow();
            assertEquals(2, newOwner.checkpoint(checkpoint(db, "claim"), bytes("a1"), 1).checkpointId());
            org.junit.jupiter.api.Assertions.assertThrows(io.sensorrollup.checkpoint.CheckpointConflictException.class,
                    () -> oldOwner.checkpoint(checkpoint(db, "a2"), bytes("a2"), 2));

            for (int i = 3; i <= 5; i++) {
                put(db, "b" + i, 100);
                newOwner.checkpoint(checkpoint(db, "b" + i), bytes("b" + i), i);
            }
            // 2 was deleted by retention: the stale writer's put of 2 succeeds, and its check finds 5
            org.junit.jupiter.api.Assertions.assertThrows(io.sensorrollup.checkpoint.CheckpointConflictException.class,
                    () -> stale.checkpoint(checkpoint(db, "stale-claim"), bytes("a1"), 1));
        }
        RestoredCheckpoint newest = checkpoints.partition(6).restore(temp.resolve("check")).orElseThrow();
        assertEquals(5, newest.checkpointId());
        assertArrayEquals(bytes("b5"), newest.manifest().position());
    }

    private static void put(RocksDB db, String value, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            db.put(("key-" + i).getBytes(StandardCharsets.UTF_8), (value + i).getBytes(StandardCharsets.UTF_8));
        }
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush);
        }
    }

    private Path checkpoint(RocksDB db, String name) throws Exception {
        Path dir = temp.resolve(name);
        try (Checkpoint checkpoint = Checkpoint.create(db)) {
            checkpoint.createCheckpoint(dir.toString());
        }
        return dir;
    }
}
