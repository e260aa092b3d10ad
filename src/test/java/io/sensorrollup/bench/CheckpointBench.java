package io.sensorrollup.bench;

import io.sensorrollup.checkpoint.CheckpointStore;
import io.sensorrollup.checkpoint.Checkpoints;
import io.sensorrollup.checkpoint.CompletedCheckpoint;
import io.sensorrollup.checkpoint.FileCheckpointStore;
import io.sensorrollup.checkpoint.PartitionCheckpointer;
import io.sensorrollup.checkpoint.RestoredCheckpoint;
import io.sensorrollup.checkpoint.s3.S3CheckpointStore;
import io.sensorrollup.it.LocalServersResource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.rocksdb.Checkpoint;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * Checkpoint cost against the local-directory store (or, with a 4th argument {@code s3}, the local
 * s3proxy of {@code dev/services}, found from {@code -Dsensorrollup.repo}): one partition's RocksDB with
 * {@code devices × 3 window sizes} keys of ~100 bytes, a full first checkpoint, then rounds that
 * update a share of the keys (a batch of readings), flush and checkpoint; then a restore.
 *
 * <pre>java -cp target/classes:target/test-classes:$(cat cp.txt) io.sensorrollup.bench.CheckpointBench [devices] [rounds] [updated share] [file|s3]</pre>
 */
public final class CheckpointBench {

    private static final String[] WINDOWS = {"60", "300", "3600"};

    public static void main(String[] args) throws Exception {
        int devices = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        double updated = args.length > 2 ? Double.parseDouble(args[2]) : 0.2;
        RocksDB.loadLibrary();
        Path work = Files.createTempDirectory("checkpoint-bench");
        boolean s3 = args.length > 3 && args[3].equals("s3");
        Checkpoints checkpoints = new Checkpoints(s3 ? s3Store() : new FileCheckpointStore(work.resolve("store")));
        PartitionCheckpointer partition = checkpoints.partition(0);
        Random random = new Random(42);
        long windowStart = 1_717_236_000_000L;
        System.out.printf(Locale.ROOT, "%d devices x %d windows = %d keys of ~100 B, %d rounds updating %.0f%%%n",
                devices, WINDOWS.length, devices * WINDOWS.length, rounds, updated * 100);
        try (Options options = new Options().setCreateIfMissing(true);
                RocksDB db = RocksDB.open(options, work.resolve("db").toString());
                WriteOptions write = new WriteOptions();
                FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            long totalMillis = 0;
            long totalBytes = 0;
            long[] millis = new long[rounds];
            for (int round = 0; round <= rounds; round++) {
                try (WriteBatch batch = new WriteBatch()) {
                    for (int d = 0; d < devices; d++) {
                        if (round > 0 && random.nextDouble() >= updated) {
                            continue;
                        }
                        for (String window : WINDOWS) {
                            byte[] value = new byte[100 - 30];
                            random.nextBytes(value);
                            batch.put(String.format("device-%06d|%s|%d", d, window, windowStart).getBytes(StandardCharsets.UTF_8), value);
                        }
                    }
                    db.write(write, batch);
                }
                db.flush(flush);
                Path local = work.resolve("local-chk-" + round);
                try (Checkpoint checkpoint = Checkpoint.create(db)) {
                    checkpoint.createCheckpoint(local.toString());
                }
                CompletedCheckpoint done = partition.checkpoint(local, ("m" + round).getBytes(StandardCharsets.UTF_8), round);
                System.out.printf(Locale.ROOT, "checkpoint %2d: %4d ms, uploaded %2d files %9d B, reused %2d files %9d B%n",
                        done.checkpointId(), done.duration().toMillis(), done.filesUploaded(), done.bytesUploaded(),
                        done.filesReused(), done.bytesReused());
                if (round > 0) {
                    millis[round - 1] = done.duration().toMillis();
                    totalMillis += done.duration().toMillis();
                    totalBytes += done.bytesUploaded();
                }
                delete(local);
            }
            java.util.Arrays.sort(millis);
            System.out.printf(Locale.ROOT, "incremental mean: %.1f ms, p50 %d ms, p99 %d ms, max %d ms, %d B uploaded%n",
                    (double) totalMillis / rounds, millis[rounds / 2], millis[Math.min(rounds - 1, (int) Math.ceil(rounds * 0.99) - 1)],
                    millis[rounds - 1], totalBytes / rounds);
        }
        RestoredCheckpoint cold = checkpoints.partition(0).restore(work.resolve("restore")).orElseThrow();
        RestoredCheckpoint warm = checkpoints.partition(0).restore(work.resolve("restore")).orElseThrow();
        System.out.printf(Locale.ROOT, "restore: %d ms downloading %d B; again into the same directory: %d ms, %d B%n",
                cold.duration().toMillis(), cold.bytesDownloaded(), warm.duration().toMillis(), warm.bytesDownloaded());
        delete(work);
        CheckpointStore store = checkpoints.store();
        store.delete(store.list("").stream().map(io.sensorrollup.checkpoint.StoredObject::key).toList());
    }

    private static CheckpointStore s3Store() {
        Map<String, String> env = LocalServersResource.servers().env();
        S3Client client = LocalServersResource.s3(env);
        try {
            client.headBucket(b -> b.bucket("checkpoint-bench"));
        } catch (NoSuchBucketException missing) {
            client.createBucket(b -> b.bucket("checkpoint-bench"));
        }
        return new S3CheckpointStore(client, "checkpoint-bench", "run-" + UUID.randomUUID());
    }

    private static void delete(Path dir) throws Exception {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
