package io.sensorrollup.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatchWithIndex;
import org.rocksdb.WriteOptions;

/**
 * The RocksDB instance of one partition, with column families {@code windows}, {@code outbox} and
 * {@code meta}, and one pending write batch: every change of a processed batch (evicted accumulators, closed
 * windows deleted, rows put into the outbox) goes into it and reaches the database in ONE atomic write at
 * {@link #commit()}. Reads see the pending batch ({@link #get}), so evicting to it and reading back in the
 * same batch is consistent.
 *
 * <p>The write-ahead log is off: the live database only has to be consistent at a checkpoint or a clean
 * close, both of which flush the memtables; after a crash the partition restarts from a checkpoint.
 * Flushes are atomic across column families, so whatever reaches disk is one consistent cut.
 */
final class PartitionStore implements AutoCloseable {

    static final byte[] WINDOWS = "windows".getBytes(StandardCharsets.US_ASCII);
    static final byte[] OUTBOX = "outbox".getBytes(StandardCharsets.US_ASCII);
    static final byte[] META = "meta".getBytes(StandardCharsets.US_ASCII);
    /** A pending batch that held more than this is replaced after its commit rather than cleared (see commit()). */
    private static final long RENEW_BATCH_ABOVE = 4L << 20;

    private final Path dir;
    private final DBOptions dbOptions;
    private final List<ColumnFamilyOptions> cfOptions = new ArrayList<>();
    private final List<BloomFilter> filters = new ArrayList<>();
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final RocksDB db;
    private final WriteOptions writeOptions;
    private final ReadOptions readOptions;
    private WriteBatchWithIndex pending;
    private long pendingBytes;
    private final ColumnFamilyHandle windows;
    private final ColumnFamilyHandle outbox;
    private final ColumnFamilyHandle meta;

    private PartitionStore(Path dir, StateResources resources) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        dbOptions = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setWriteBufferManager(resources.writeBufferManager())
                .setAtomicFlush(true)
                // close() of a failed processor must not persist its half-done memtables (no WAL)
                .setAvoidFlushDuringShutdown(true)
                .setMaxBackgroundJobs(2)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                .setKeepLogFileNum(2)
                .setStatsDumpPeriodSec(0);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, columnFamilyOptions(resources, 1L << 20)));
        descriptors.add(new ColumnFamilyDescriptor(WINDOWS, columnFamilyOptions(resources, 16L << 20)));
        descriptors.add(new ColumnFamilyDescriptor(OUTBOX, columnFamilyOptions(resources, 8L << 20)));
        descriptors.add(new ColumnFamilyDescriptor(META, columnFamilyOptions(resources, 1L << 20)));
        try {
            db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
        } catch (RocksDBException e) {
            closeOptions();
            throw new StateException("cannot open partition state in " + dir, e);
        }
        windows = handles.get(1);
        outbox = handles.get(2);
        meta = handles.get(3);
        writeOptions = new WriteOptions().setDisableWAL(true);
        readOptions = new ReadOptions();
        pending = new WriteBatchWithIndex(true);
    }

    private ColumnFamilyOptions columnFamilyOptions(StateResources resources, long writeBufferSize) {
        BloomFilter filter = new BloomFilter(10, false);
        filters.add(filter);
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setBlockCache(resources.blockCache())
                .setFilterPolicy(filter)
                .setCacheIndexAndFilterBlocks(true)
                .setPinL0FilterAndIndexBlocksInCache(true)
                .setBlockSize(16 * 1024);
        ColumnFamilyOptions o = new ColumnFamilyOptions()
                .setTableFormatConfig(table)
                .setWriteBufferSize(writeBufferSize)
                .setMaxWriteBufferNumber(3)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setLevelCompactionDynamicLevelBytes(true);
        cfOptions.add(o);
        return o;
    }

    static PartitionStore open(Path dir, StateResources resources) {
        return new PartitionStore(dir, resources);
    }

    Path dir() {
        return dir;
    }

    ColumnFamilyHandle windows() {
        return windows;
    }

    ColumnFamilyHandle outbox() {
        return outbox;
    }

    ColumnFamilyHandle meta() {
        return meta;
    }

    // ---- the pending batch ----

    void put(ColumnFamilyHandle cf, byte[] key, byte[] value) {
        try {
            pending.put(cf, key, value);
            pendingBytes += key.length + value.length;
        } catch (RocksDBException e) {
            throw new StateException("write batch put failed", e);
        }
    }

    void delete(ColumnFamilyHandle cf, byte[] key) {
        try {
            pending.delete(cf, key);
        } catch (RocksDBException e) {
            throw new StateException("write batch delete failed", e);
        }
    }

    /** The value in the pending batch, else in the database; null when absent. */
    byte[] get(ColumnFamilyHandle cf, byte[] key) {
        try {
            return pending.getFromBatchAndDB(db, cf, readOptions, key);
        } catch (RocksDBException e) {
            throw new StateException("read failed", e);
        }
    }

    /** Writes the pending batch atomically (a no-op when it is empty). */
    void commit() {
        if (pending.count() == 0) {
            return;
        }
        try {
            db.write(writeOptions, pending);
        } catch (RocksDBException e) {
            throw new StateException("write failed in " + dir, e);
        }
        if (pendingBytes > RENEW_BATCH_ABOVE) {
            // a cleared batch keeps its largest size in native memory: a checkpoint's flush of the write-back cache
            // would hold tens of MB per partition for good
            pending.close();
            pending = new WriteBatchWithIndex(true);
        } else {
            pending.clear();
        }
        pendingBytes = 0;
    }

    /** A RocksDB integer property summed over the column families, e.g. {@code rocksdb.live-sst-files-size}. */
    long propertySum(String property) {
        long sum = 0;
        try {
            for (ColumnFamilyHandle h : handles) {
                sum += db.getLongProperty(h, property);
            }
        } catch (RocksDBException e) {
            throw new StateException("cannot read " + property + " in " + dir, e);
        }
        return sum;
    }

    // ---- direct access, between batches ----

    RocksIterator newIterator(ColumnFamilyHandle cf) {
        return db.newIterator(cf, readOptions);
    }

    void deleteRange(ColumnFamilyHandle cf, byte[] fromInclusive, byte[] toExclusive) {
        try {
            db.deleteRange(cf, writeOptions, fromInclusive, toExclusive);
        } catch (RocksDBException e) {
            throw new StateException("delete range failed in " + dir, e);
        }
    }

    /** Commits and flushes every memtable to SST files (atomically across column families). */
    void flushMemtables() {
        commit();
        try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
            db.flush(fo, handles);
        } catch (RocksDBException e) {
            throw new StateException("flush failed in " + dir, e);
        }
    }

    /** Creates a RocksDB checkpoint (hard links where possible) in {@code target}, which must not exist. */
    List<Snapshot.StateFile> checkpoint(Path target) {
        if (Files.exists(target)) {
            throw new IllegalArgumentException("checkpoint directory already exists: " + target);
        }
        try (Checkpoint cp = Checkpoint.create(db)) {
            cp.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            throw new StateException("checkpoint into " + target + " failed", e);
        }
        List<Snapshot.StateFile> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(target)) {
            for (Path f : (Iterable<Path>) s.sorted()::iterator) {
                files.add(new Snapshot.StateFile(f.getFileName().toString(), Files.size(f)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(files);
    }

    @Override
    public void close() {
        pending.close();
        for (ColumnFamilyHandle h : handles) {
            h.close();
        }
        db.close();
        writeOptions.close();
        readOptions.close();
        closeOptions();
    }

    private void closeOptions() {
        dbOptions.close();
        for (ColumnFamilyOptions o : cfOptions) {
            o.close();
        }
        for (BloomFilter f : filters) {
            f.close();
        }
    }
}
