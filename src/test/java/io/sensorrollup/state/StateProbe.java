package io.sensorrollup.state;

import java.lang.reflect.Field;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * What benchmarks read of a partition's RocksDB and of the shared resources beyond {@link PartitionStats}: memory by
 * kind and bytes written. Test code only: it reaches the processor's store by reflection, since the engine offers no
 * accessor for it and benchmarks must not add one.
 */
public final class StateProbe {

    private static final long GB = 1L << 30;
    private static final Field STORE = field(PartitionProcessor.class, "store");
    private static final Field DB = field(PartitionStore.class, "db");
    private static final Field HANDLES = field(PartitionStore.class, "handles");

    private StateProbe() {
    }

    /** Bytes of the shared block cache in use (blocks, index and filter blocks, and the memtables charged to it). */
    public static long blockCacheUsage(StateResources resources) {
        return resources.blockCache().getUsage();
    }

    public static long blockCachePinnedUsage(StateResources resources) {
        return resources.blockCache().getPinnedUsage();
    }

    /** {@code rocksdb.cur-size-all-mem-tables} over the column families: active and unflushed immutable memtables. */
    public static long memTableBytes(PartitionProcessor processor) {
        return store(processor).propertySum("rocksdb.cur-size-all-mem-tables");
    }

    /** {@code rocksdb.estimate-table-readers-mem}: table readers' memory outside the block cache. */
    public static long tableReaderBytes(PartitionProcessor processor) {
        return store(processor).propertySum("rocksdb.estimate-table-readers-mem");
    }

    public static long liveSstBytes(PartitionProcessor processor) {
        return store(processor).propertySum("rocksdb.live-sst-files-size");
    }

    /**
     * Bytes RocksDB has written to SST files since the store was opened, flushes and compactions together: the sum
     * over column families of {@code compaction.Sum.WriteGB} of the {@code rocksdb.cfstats} map (flushes count as
     * writes into L0 there). RocksDB prints it with 6 decimals of a GiB, so it resolves about 1 KiB.
     */
    public static long sstBytesWritten(PartitionProcessor processor) {
        PartitionStore store = store(processor);
        try {
            RocksDB db = (RocksDB) DB.get(store);
            double gb = 0;
            for (Object handle : (java.util.List<?>) HANDLES.get(store)) {
                String written = db.getMapProperty((ColumnFamilyHandle) handle, "rocksdb.cfstats").get("compaction.Sum.WriteGB");
                gb += written == null ? 0 : Double.parseDouble(written);
            }
            return Math.round(gb * GB);
        } catch (IllegalAccessException | RocksDBException e) {
            throw new IllegalStateException("cannot read rocksdb.cfstats", e);
        }
    }

    /** The write-back cache: [entries, estimated heap bytes, evictions so far]. */
    public static long[] writeBackCache(PartitionProcessor processor) {
        return processor.cacheStats();
    }

    private static PartitionStore store(PartitionProcessor processor) {
        try {
            return (PartitionStore) STORE.get(processor);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Field field(Class<?> type, String name) {
        try {
            Field f = type.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(type.getSimpleName() + " has no field " + name + ": update StateProbe", e);
        }
    }
}
