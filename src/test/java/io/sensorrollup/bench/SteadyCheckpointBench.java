package io.sensorrollup.bench;

import io.sensorrollup.checkpoint.CheckpointStore;
import io.sensorrollup.checkpoint.Checkpoints;
import io.sensorrollup.checkpoint.CompletedCheckpoint;
import io.sensorrollup.checkpoint.FileCheckpointStore;
import io.sensorrollup.checkpoint.PartitionCheckpointer;
import io.sensorrollup.checkpoint.StoredObject;
import io.sensorrollup.checkpoint.s3.S3CheckpointStore;
import io.sensorrollup.it.LocalServersResource;
import io.sensorrollup.source.RawBatch;
import io.sensorrollup.source.simulator.SimulatedFleet;
import io.sensorrollup.state.EngineConfig;
import io.sensorrollup.state.OutboxEntry;
import io.sensorrollup.state.PartitionProcessor;
import io.sensorrollup.state.Snapshot;
import io.sensorrollup.state.StateResources;
import io.sensorrollup.window.WindowSpec;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * Checkpoint cost of one partition in steady state, on the production path: the real engine (decode, the
 * configured windows, write-back cache, RocksDB) fed one partition's share of a fleet in event time, the
 * outbox drained as the sink does, and every {@code --interval-s} of event time a snapshot (flush + RocksDB
 * checkpoint) and its commit to the store (uploads of the new SST files, manifest, retention). Runs as fast
 * as the machine goes, so the event time covered is far longer than the wall time it takes; the first
 * {@code --warmup} checkpoints (a fresh store uploads everything) are left out of the figures.
 *
 * <pre>
 * SteadyCheckpointBench [--devices 500] [--rate 30000] [--partitions 8] [--windows 1m,5m,1h]
 *                       [--interval-s 10] [--event-minutes 70] [--warmup 6] [--store s3|file]
 * </pre>
 * Last line: {@code RESULT devices=… checkpoints=… snapshot_ms_mean=… commit_ms_mean=… total_ms_mean=…
 * total_ms_p99=… uploaded_bytes_mean=… uploaded_bytes_p99=… files_reused_mean=… state_bytes=…}.
 */
public final class SteadyCheckpointBench {

    private static final long EPOCH = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    private static final int BATCH = 1_000;

    public static void main(String[] args) throws Exception {
        BenchLogLevels.apply();
        int devices = 500;
        int rate = 30_000;
        int partitions = 8;
        String windows = "1m,5m,1h";
        int intervalSeconds = 10;
        int eventMinutes = 70;
        int warmup = 6;
        boolean s3 = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--devices" -> devices = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--partitions" -> partitions = Integer.parseInt(args[++i]);
                case "--windows" -> windows = args[++i];
                case "--interval-s" -> intervalSeconds = Integer.parseInt(args[++i]);
                case "--event-minutes" -> eventMinutes = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--store" -> s3 = switch (args[++i]) {
                    case "s3" -> true;
                    case "file" -> false;
                    default -> throw new IllegalArgumentException("--store s3|file");
                };
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        int partitionDevices = Math.max(1, devices / partitions);
        double perPartitionRate = (double) rate / partitions;
        long readings = (long) (perPartitionRate * eventMinutes * 60);
        System.out.printf(Locale.ROOT, "one partition of %d: %d devices, %.0f readings/s of event time, windows %s,"
                        + " a checkpoint every %d s of event time for %d min (%d readings), store %s%n",
                partitions, partitionDevices, perPartitionRate, windows, intervalSeconds, eventMinutes, readings,
                s3 ? "s3proxy" : "file");

        Path work = Files.createTempDirectory("steady-checkpoint-bench");
        CheckpointStore store = s3 ? s3Store() : new FileCheckpointStore(work.resolve("store"));
        Checkpoints checkpoints = new Checkpoints(store, 3, Duration.ofMinutes(10), Clock.systemUTC());
        PartitionCheckpointer checkpointer = checkpoints.partition(0);
        // 2 s of jitter, as the integration tests' corpora have
        SimulatedFleet fleet = new SimulatedFleet(new SimulatedFleet.Options(partitionDevices, 42, 2_000, 0, 600_000, 0));
        EngineConfig config = EngineConfig.defaults(WindowSpec.parse(windows));
        List<long[]> samples = new ArrayList<>(); // snapshot ns, commit ns, bytes uploaded, files reused, state bytes
        long stateBytes = 0;
        long rows = 0;
        try (StateResources resources = StateResources.create(256L << 20, 128L << 20);
                PartitionProcessor processor = PartitionProcessor.open(work.resolve("db"), config, resources, () -> EPOCH)) {
            long intervalMillis = intervalSeconds * 1000L;
            long nextCheckpoint = EPOCH + intervalMillis;
            RawBatch batch = new RawBatch(BATCH);
            for (long i = 0; i < readings; i++) {
                long now = EPOCH + (long) (i * 1000 / perPartitionRate);
                batch.add(fleet.next(now).payload(), ByteBuffer.allocate(8).putLong(i).array(), now);
                if (batch.size() == BATCH || i == readings - 1) {
                    processor.process(batch);
                    batch.clear();
                    rows += drainOutbox(processor);
                }
                if (now >= nextCheckpoint && batch.size() == 0) {
                    nextCheckpoint += intervalMillis;
                    long t0 = System.nanoTime();
                    Snapshot snapshot = processor.snapshot(work.resolve("snapshot-" + i));
                    long t1 = System.nanoTime();
                    CompletedCheckpoint done = checkpointer.checkpoint(snapshot.dir(), snapshot.position(), snapshot.watermark());
                    long t2 = System.nanoTime();
                    stateBytes = done.manifest().totalBytes();
                    samples.add(new long[] {t1 - t0, t2 - t1, done.bytesUploaded(), done.filesReused(), stateBytes});
                    deleteRecursively(snapshot.dir());
                }
            }
        }
        List<long[]> steady = samples.subList(Math.min(warmup, samples.size()), samples.size());
        if (steady.isEmpty()) {
            throw new IllegalStateException("no checkpoint after the warm-up: give more --event-minutes");
        }
        System.out.printf(Locale.ROOT, "rows emitted %d; %d checkpoints, %d after the warm-up%n", rows, samples.size(), steady.size());
        System.out.printf(Locale.ROOT,
                "RESULT devices=%d windows=%s interval_s=%d checkpoints=%d snapshot_ms_mean=%.1f commit_ms_mean=%.1f"
                        + " total_ms_mean=%.1f total_ms_p50=%.1f total_ms_p99=%.1f total_ms_max=%.1f"
                        + " uploaded_bytes_mean=%.0f uploaded_bytes_p99=%d files_reused_mean=%.1f state_bytes=%d%n",
                devices, windows, intervalSeconds, steady.size(), mean(steady, 0) / 1e6, mean(steady, 1) / 1e6,
                (mean(steady, 0) + mean(steady, 1)) / 1e6, percentile(totals(steady), 0.50) / 1e6,
                percentile(totals(steady), 0.99) / 1e6, percentile(totals(steady), 1.0) / 1e6,
                mean(steady, 2), percentile(column(steady, 2), 0.99), mean(steady, 3), stateBytes);
        store.delete(store.list("").stream().map(StoredObject::key).toList());
        deleteRecursively(work);
    }

    /** What the sink does: read the closed rows, confirm them. */
    private static long drainOutbox(PartitionProcessor processor) {
        List<OutboxEntry> entries = processor.readOutbox(-1, Integer.MAX_VALUE);
        if (!entries.isEmpty()) {
            processor.deleteOutboxThrough(entries.get(entries.size() - 1).seq());
        }
        return entries.size();
    }

    private static double mean(List<long[]> samples, int column) {
        return samples.stream().mapToLong(s -> s[column]).average().orElse(0);
    }

    private static long[] column(List<long[]> samples, int column) {
        return samples.stream().mapToLong(s -> s[column]).toArray();
    }

    private static long[] totals(List<long[]> samples) {
        return samples.stream().mapToLong(s -> s[0] + s[1]).toArray();
    }

    /** Nearest-rank percentile. */
    private static long percentile(long[] values, double p) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static CheckpointStore s3Store() {
        S3Client client = LocalServersResource.s3(LocalServersResource.servers().env());
        try {
            client.headBucket(b -> b.bucket("checkpoint-bench"));
        } catch (NoSuchBucketException missing) {
            client.createBucket(b -> b.bucket("checkpoint-bench"));
        }
        return new S3CheckpointStore(client, "checkpoint-bench", "steady-" + UUID.randomUUID());
    }

    private static void deleteRecursively(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
