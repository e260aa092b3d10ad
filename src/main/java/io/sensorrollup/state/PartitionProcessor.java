package io.sensorrollup.state;

import io.sensorrollup.source.RawBatch;
import io.sensorrollup.source.Reading;
import io.sensorrollup.source.ReadingDecoder;
import io.sensorrollup.window.TimeMode;
import io.sensorrollup.window.Watermark;
import io.sensorrollup.window.WindowRow;
import io.sensorrollup.window.WindowSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The window engine of one source partition: decode, assign to windows, accumulate in state, close and
 * emit into the outbox. Used by one thread at a time; call {@link #snapshot}, the outbox methods and
 * {@link #advanceIdle} between batches on that same serial executor.
 *
 * <p><b>When a window closes.</b> Window {@code [start, end)} closes when the partition's watermark
 * {@code W >= end} (after a reading raised it, or after an idle advance). This is Flink's rule: a Flink
 * watermark {@code maxTs - bound - 1} fires a window when it reaches {@code end - 1}. A reading with
 * {@code ts >= W} is therefore never late. A reading whose window has closed ({@code end <= W}) is late:
 * while {@code W < end + allowedLateness} it updates the window, which is emitted again at once with
 * version + 1; once {@code W >= end + allowedLateness} the window is deleted and later readings for it are
 * dropped as {@code late}. Lateness is judged per reading against the watermark before that reading, and
 * windows close right after the reading that moved the watermark, so the rows do not depend on how the
 * messages were cut into batches. Windows that close together are emitted by window end, then device id,
 * then window size.
 *
 * <p>With several window sizes a reading can be too late for a small window and still in time for a large
 * one: it updates the windows that take it and counts in {@link BatchResult#lateWindowsDropped()}; it is
 * rejected as {@code late} only when no window took it.
 *
 * <p><b>Durability.</b> Each {@link #process} call ends with one atomic RocksDB write (closed windows
 * deleted, rows in the outbox, evicted accumulators). The state is consistent only at a {@link #snapshot}
 * or {@link #close}; after a crash, {@link #restore} from the last checkpoint and replay the source from the
 * position after {@link #position()}.
 */
public final class PartitionProcessor implements AutoCloseable {

    private final EngineConfig config;
    private final PartitionStore store;
    private final MetaStore meta;
    private final CachingWindowStore windows;
    private final Outbox outbox;
    private final LongSupplier wallClock;
    private final Watermark watermark;
    private final WindowAggregation aggregation;
    private final WindowSpec spec;
    private final long lateness;
    private final boolean processingTime;
    private final long maxFutureSkew;
    private final ReadingDecoder decoder = new ReadingDecoder();
    private final Reading reading = new Reading();

    private byte[] position;
    /** Readings taken since the partition began: the arrival order that picks a window's metadata. */
    private long arrivals;
    private boolean closed;
    private boolean failed;

    private PartitionProcessor(PartitionStore store, EngineConfig config, LongSupplier wallClock) {
        this.config = config;
        this.store = store;
        this.meta = new MetaStore(store);
        this.wallClock = wallClock;
        this.spec = config.windows();
        this.lateness = config.allowedLateness().toMillis();
        this.processingTime = config.timeMode() == TimeMode.PROCESSING;
        this.maxFutureSkew = config.maxFutureSkew().toMillis();
        RocksWindowStore rocks = new RocksWindowStore(store);
        this.windows = new CachingWindowStore(rocks, config.cacheBytes());
        long bound = processingTime ? 0 : config.maxOutOfOrderness().toMillis();
        this.watermark = new Watermark(bound, config.idleTimeout().toMillis(), wallClock.getAsLong());

        meta.requireConsistentCut();
        this.position = meta.position();
        if (meta.hasWatermark()) {
            watermark.restore(meta.maxTimestamp(), meta.watermark());
        }
        this.arrivals = meta.arrivals();
        this.outbox = new Outbox(store, meta.outboxNextSeq());
        this.aggregation = new WindowAggregation(rocks, windows, outbox, spec, lateness);
        meta.markOpen();
        store.commit();
    }

    /** {@link #open(Path, EngineConfig, StateResources, LongSupplier)} on the system clock. */
    public static PartitionProcessor open(Path stateDir, EngineConfig config, StateResources resources) {
        return open(stateDir, config, resources, System::currentTimeMillis);
    }

    /**
     * Opens the state in {@code stateDir}: empty (a new partition) or left by {@link #close()}. State left by
     * a process that stopped without {@link #close()} is refused with a {@link StateException}: restore it
     * from a checkpoint instead.
     *
     * @param wallClock epoch millis; stamps arrivals for the idle timeout
     */
    public static PartitionProcessor open(Path stateDir, EngineConfig config, StateResources resources,
            LongSupplier wallClock) {
        PartitionStore store = PartitionStore.open(stateDir, resources);
        try {
            return new PartitionProcessor(store, config, wallClock);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** {@link #restore(Path, Path, EngineConfig, StateResources, LongSupplier)} on the system clock. */
    public static PartitionProcessor restore(Path checkpointDir, Path stateDir, EngineConfig config,
            StateResources resources) {
        return restore(checkpointDir, stateDir, config, resources, System::currentTimeMillis);
    }

    /**
     * Replaces {@code stateDir} with the checkpoint in {@code checkpointDir} (SST files hard-linked when the
     * file system allows, else copied; the checkpoint is left untouched) and opens it. Position, watermark
     * and outbox come back from the checkpoint.
     */
    public static PartitionProcessor restore(Path checkpointDir, Path stateDir, EngineConfig config,
            StateResources resources, LongSupplier wallClock) {
        try {
            Directories.replaceWithCopy(stateDir, checkpointDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore " + checkpointDir + " into " + stateDir, e);
        }
        return open(stateDir, config, resources, wallClock);
    }

    /**
     * Processes one batch of this partition's messages, in order, and commits its changes in one atomic
     * write. After an exception the processor must be closed and the partition restored from a checkpoint.
     */
    public BatchResult process(RawBatch batch) {
        ensureOpen();
        try {
            return processBatch(batch);
        } catch (RuntimeException | Error e) {
            failed = true;
            throw e;
        }
    }

    private BatchResult processBatch(RawBatch batch) {
        int n = batch.size();
        if (n == 0) {
            return new BatchResult(0, 0, List.of(), 0);
        }
        long emittedBefore = aggregation.emitted();
        int lateDrops = 0;
        List<Rejected> rejected = null;
        int sizes = spec.count();
        for (int i = 0; i < n; i++) {
            byte[] payload = batch.payload(i);
            String reason = decoder.decode(payload, batch.offset(i), batch.length(i), reading);
            // judged against the publish time, so a replay decides the same; processing time ignores the timestamp
            if (reason == null && !processingTime && reading.timestamp() - batch.publishMillis(i) > maxFutureSkew) {
                reason = Rejected.FUTURE;
            }
            if (reason == null) {
                if (processingTime) {
                    reading.overrideTimestamp(batch.arrivalMillis(i));
                }
                long ts = reading.timestamp();
                int tooLate = aggregation.add(reading, arrivals + 1, watermark.current());
                lateDrops += tooLate;
                if (tooLate < sizes) {
                    arrivals++;
                    long advanced = watermark.observe(ts);
                    if (aggregation.due(advanced)) {
                        aggregation.closeDue(advanced);
                    }
                    continue;
                }
                reason = Rejected.LATE;
            }
            if (rejected == null) {
                rejected = new ArrayList<>();
            }
            rejected.add(new Rejected(i, batch.position(i), payload, batch.offset(i), batch.length(i), reason));
        }
        byte[] last = batch.position(n - 1);
        position = last == null ? null : last.clone();
        watermark.arrived(wallClock.getAsLong());
        store.commit();
        int emitted = (int) (aggregation.emitted() - emittedBefore);
        return new BatchResult(n, emitted, rejected == null ? List.of() : rejected, lateDrops);
    }

    /**
     * Whether nothing arrived for the idle timeout: {@link #advanceIdle} would move the watermark. Whether the
     * source is caught up, the other half of idle (CONTRACT §2), only the caller can know.
     */
    public boolean isIdle(long nowMillis) {
        return watermark.isIdle(nowMillis);
    }

    /** Whether nothing arrived for {@code millis}. */
    public boolean silentFor(long nowMillis, long millis) {
        return watermark.silentFor(nowMillis, millis);
    }

    /**
     * Lets the watermark advance with the wall clock when nothing arrived for the idle timeout, and closes
     * what that makes due. Returns the number of rows emitted.
     */
    public int advanceIdle(long nowMillis) {
        ensureOpen();
        try {
            long emittedBefore = aggregation.emitted();
            if (watermark.advanceIdle(nowMillis) && aggregation.due(watermark.current())) {
                aggregation.closeDue(watermark.current());
                store.commit();
            }
            return (int) (aggregation.emitted() - emittedBefore);
        } catch (RuntimeException | Error e) {
            failed = true;
            throw e;
        }
    }

    /**
     * Writes a consistent checkpoint of this partition into {@code dir} (which must not exist; its parent
     * must): flushes the write-back cache, stores position and watermark in {@code meta}, flushes the
     * memtables and creates a RocksDB checkpoint (hard links to the SST files).
     */
    public Snapshot snapshot(Path dir) {
        ensureOpen();
        if (Files.exists(dir)) {
            throw new IllegalArgumentException("checkpoint directory already exists: " + dir);
        }
        try {
            writeMeta(false);
            store.flushMemtables();
            List<Snapshot.StateFile> files = store.checkpoint(dir);
            meta.markInUse(true);
            store.commit();
            return new Snapshot(dir, position == null ? null : position.clone(), watermark.current(), files);
        } catch (RuntimeException | Error e) {
            failed = true;
            throw e;
        }
    }

    private void writeMeta(boolean inUse) {
        windows.flush();
        meta.write(position, watermark.current(), watermark.maxTimestamp(), outbox.nextSeq(), arrivals, inUse);
        store.commit();
    }

    /**
     * Up to {@code max} outbox rows with a sequence number greater than {@code afterSeq} ({@code -1}: from the
     * oldest), oldest first. Sequence numbers are dense and increasing for the life of a state directory; a
     * restore from a checkpoint rewinds them to the checkpoint, so a sink starts again from {@code -1} then.
     */
    public List<OutboxEntry> readOutbox(long afterSeq, int max) {
        ensureOpen();
        return outbox.read(afterSeq, max);
    }

    /** Deletes every outbox row up to and including {@code seq} (the sink confirmed them). */
    public void deleteOutboxThrough(long seq) {
        ensureOpen();
        outbox.deleteThrough(seq);
    }

    /**
     * Rows in the outbox that the sink has not confirmed yet (committed ones; call between batches). The
     * source should pause the partition when this passes its limit, so a sink outage fills the disk slowly
     * and never the heap.
     */
    public long outboxBacklog() {
        ensureOpen();
        return outbox.backlog();
    }

    /** The source position of the last processed message (null before the first). */
    public byte[] position() {
        return position == null ? null : position.clone();
    }

    public long watermark() {
        return watermark.current();
    }

    public EngineConfig config() {
        return config;
    }

    /** Windows held in state and not yet expired (open, or closed and within allowed lateness). */
    public int liveWindows() {
        return aggregation.live();
    }

    public PartitionStats stats() {
        ensureOpen();
        return new PartitionStats(liveWindows(), watermark.current(), outbox.backlog(),
                store.propertySum("rocksdb.live-sst-files-size"), store.propertySum("rocksdb.estimate-num-keys"),
                windows.hits(), windows.misses());
    }

    /**
     * The windows of one device still in state (open, or closed and within allowed lateness) with their
     * values so far, by size then start; an open window has version 0 ({@link DeviceWindowLookup}).
     */
    public List<WindowRow> liveWindows(String deviceId) {
        ensureOpen();
        return DeviceWindowLookup.find(deviceId, windows, spec, watermark, lateness);
    }

    /** Cache statistics: [entries, estimated bytes, evictions so far]. */
    long[] cacheStats() {
        return new long[] {windows.size(), windows.usedBytes(), windows.evictions()};
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("partition processor is closed");
        }
    }

    /**
     * Flushes everything, marks the state cleanly closed and closes the store (not the shared resources).
     * After a failure it only closes the store: the state is not marked clean, so it is restored from a
     * checkpoint next time.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            if (!failed) {
                writeMeta(false);
                store.flushMemtables();
            }
        } finally {
            closed = true;
            store.close();
        }
    }

}
