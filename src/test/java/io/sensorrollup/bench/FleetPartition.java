package io.sensorrollup.bench;

import io.sensorrollup.checkpoint.CheckpointConflictException;
import io.sensorrollup.checkpoint.CompletedCheckpoint;
import io.sensorrollup.checkpoint.PartitionCheckpointer;
import io.sensorrollup.source.RawBatch;
import io.sensorrollup.source.simulator.SimulatedFleet;
import io.sensorrollup.state.Directories;
import io.sensorrollup.state.EngineConfig;
import io.sensorrollup.state.OutboxEntry;
import io.sensorrollup.state.PartitionProcessor;
import io.sensorrollup.state.PartitionStats;
import io.sensorrollup.state.Snapshot;
import io.sensorrollup.state.StateProbe;
import io.sensorrollup.state.StateResources;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * One partition of {@link ScaleBench}, driven in event time: its share of the fleet generated into batches and
 * processed by the real {@link PartitionProcessor}, the outbox drained as the sink does, and its checkpoints taken as
 * the service's partition task takes them: the snapshot between two batches on the partition's thread, the upload off
 * it on the I/O pool, at most one in flight (a checkpoint due while the previous one uploads is skipped, as the
 * scheduler's are). Every method but {@link #awaitCommit} runs on one thread at a time.
 */
final class FleetPartition implements AutoCloseable {

    static final long EPOCH = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    private static final int SINK_BATCH = 10_000; // rollup.sink.batch-size's default

    /** One committed checkpoint; the bytes RocksDB wrote and the new SST bytes are since the partition's previous one. */
    record CheckpointSample(int partition, long eventSecond, long snapshotNanos, long queuedNanos, long commitNanos,
            long bytesUploaded, int filesUploaded, int filesReused, long rocksBytesWritten, long newSstBytes,
            long checkpointBytes) {

        long totalNanos() {
            return snapshotNanos + queuedNanos + commitNanos;
        }
    }

    /** A partition's state and memory, read on its thread between batches. */
    record PartitionSample(PartitionStats stats, long memTableBytes, long tableReaderBytes, long cacheEntries,
            long cacheBytes, long cacheEvictions, long rocksBytesWritten) {
    }

    private final int partition;
    private final PartitionProcessor processor;
    private final PartitionCheckpointer checkpointer;
    private final SimulatedFleet fleet;
    private final double readingsPerSecond;
    private final int batchSize;
    private final Path dir;
    private final ExecutorService io;
    private final Queue<CheckpointSample> committed;
    private final RawBatch batch;

    private long nextReading;
    private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);
    private Map<String, Long> previousSsts = Map.of();
    private long rocksWrittenAtLastSnapshot;
    private Path lastCheckpoint;
    private int snapshots;
    private long skipped;
    long readings;
    long rowsDrained;
    long generateNanos;
    long processNanos;
    long drainNanos;

    FleetPartition(int partition, ScaleOptions options, EngineConfig config, StateResources resources,
            PartitionCheckpointer checkpointer, Path dir, ExecutorService io, Queue<CheckpointSample> committed) {
        this.partition = partition;
        this.checkpointer = checkpointer;
        this.dir = dir;
        this.io = io;
        this.committed = committed;
        this.readingsPerSecond = (double) options.rate() / options.partitions();
        this.batchSize = options.batch();
        this.batch = new RawBatch(options.batch());
        // 2 s of jitter, as the integration tests' corpora have; a seed per partition so they do not send the same lines
        this.fleet = new SimulatedFleet(new SimulatedFleet.Options(options.devices() / options.partitions(), 42 + partition,
                2_000, 0, 600_000, 0));
        this.processor = PartitionProcessor.open(dir.resolve("db"), config, resources, () -> EPOCH);
    }

    /** Generates and processes this partition's readings of event second {@code second}, cut into full batches. */
    void runSecond(long second) {
        long end = (long) ((second + 1) * readingsPerSecond);
        for (; nextReading < end; nextReading++) {
            long t0 = System.nanoTime();
            long now = EPOCH + (long) (nextReading * 1000 / readingsPerSecond);
            batch.add(fleet.next(now).payload(), ByteBuffer.allocate(8).putLong(nextReading).array(), now);
            generateNanos += System.nanoTime() - t0;
            if (batch.size() == batchSize) {
                processBatch();
            }
        }
    }

    /** Processes what is batched so far (before a snapshot, and at the end). */
    void processBatch() {
        if (batch.size() == 0) {
            return;
        }
        long t0 = System.nanoTime();
        processor.process(batch);
        readings += batch.size();
        batch.clear();
        long t1 = System.nanoTime();
        // in the sink's batches: a minute's end closes a window per device at once
        for (List<OutboxEntry> rows; !(rows = processor.readOutbox(-1, SINK_BATCH)).isEmpty(); ) {
            processor.deleteOutboxThrough(rows.get(rows.size() - 1).seq());
            rowsDrained += rows.size();
        }
        long t2 = System.nanoTime();
        processNanos += t1 - t0;
        drainNanos += t2 - t1;
    }

    /** Snapshots now and uploads on the I/O pool, unless the previous checkpoint is still uploading. */
    void checkpoint(long eventSecond) {
        if (!inFlight.isDone()) {
            skipped++;
            return;
        }
        inFlight.join(); // a failed upload stops the bench
        processBatch();
        long t0 = System.nanoTime();
        Snapshot snapshot = processor.snapshot(dir.resolve("snapshot-" + snapshots++));
        long snapshotNanos = System.nanoTime() - t0;
        long written = StateProbe.sstBytesWritten(processor);
        long rocksWritten = written - rocksWrittenAtLastSnapshot;
        rocksWrittenAtLastSnapshot = written;
        long newSstBytes = newSstBytes(snapshot);
        long submitted = System.nanoTime();
        inFlight = CompletableFuture.runAsync(() -> {
            long started = System.nanoTime();
            CompletedCheckpoint done;
            try {
                done = checkpointer.checkpoint(snapshot.dir(), snapshot.position(), snapshot.watermark());
            } catch (IOException | CheckpointConflictException e) {
                throw new IllegalStateException("checkpoint of partition " + partition + " failed", e);
            }
            long finished = System.nanoTime();
            keepAsLastCheckpoint(snapshot.dir());
            committed.add(new CheckpointSample(partition, eventSecond, snapshotNanos, started - submitted,
                    finished - started, done.bytesUploaded(), done.filesUploaded(), done.filesReused(), rocksWritten,
                    newSstBytes, done.manifest().totalBytes()));
        }, io);
    }

    /** Bytes of the snapshot's SST files that its previous snapshot did not hold. */
    private long newSstBytes(Snapshot snapshot) {
        Map<String, Long> ssts = new HashMap<>();
        long bytes = 0;
        for (Snapshot.StateFile file : snapshot.files()) {
            if (file.isSst()) {
                ssts.put(file.name(), file.size());
                bytes += previousSsts.containsKey(file.name()) ? 0 : file.size();
            }
        }
        previousSsts = ssts;
        return bytes;
    }

    /** As the service's LocalCheckpoints: the newest committed checkpoint stays on disk (hard links), the one before goes. */
    private void keepAsLastCheckpoint(Path snapshotDir) {
        try {
            if (lastCheckpoint != null) {
                Directories.deleteRecursively(lastCheckpoint);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        lastCheckpoint = snapshotDir;
    }

    PartitionSample sample() {
        long[] cache = StateProbe.writeBackCache(processor);
        return new PartitionSample(processor.stats(), StateProbe.memTableBytes(processor),
                StateProbe.tableReaderBytes(processor), cache[0], cache[1], cache[2], StateProbe.sstBytesWritten(processor));
    }

    void awaitCommit() {
        inFlight.join();
    }

    long skippedCheckpoints() {
        return skipped;
    }

    long eventMillisCovered() {
        return (long) (nextReading * 1000 / readingsPerSecond);
    }

    @Override
    public void close() {
        processor.close();
    }
}
