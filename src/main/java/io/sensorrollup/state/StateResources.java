package io.sensorrollup.state;

import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * Native memory shared by every partition store of the process: one block cache and one write-buffer
 * manager whose memtables are charged to that cache, so the process's RocksDB memory is bounded by
 * {@code cacheBytes} however many partitions it owns (the Kafka Streams "bounded memory" recipe).
 * Close it after every {@link PartitionStore} that uses it.
 */
public final class StateResources implements AutoCloseable {

    public static final long DEFAULT_CACHE_BYTES = 256L << 20;
    public static final long DEFAULT_WRITE_BUFFER_BYTES = 128L << 20;

    static {
        RocksDB.loadLibrary();
    }

    private final LRUCache blockCache;
    private final WriteBufferManager writeBufferManager;

    private StateResources(long cacheBytes, long writeBufferBytes) {
        if (writeBufferBytes <= 0 || cacheBytes < writeBufferBytes) {
            throw new IllegalArgumentException("need 0 < write buffer bytes <= cache bytes");
        }
        this.blockCache = new LRUCache(cacheBytes);
        this.writeBufferManager = new WriteBufferManager(writeBufferBytes, blockCache);
    }

    /**
     * @param cacheBytes total native memory for blocks and memtables of all partitions
     * @param writeBufferBytes the part of it memtables may take before RocksDB flushes them
     */
    public static StateResources create(long cacheBytes, long writeBufferBytes) {
        return new StateResources(cacheBytes, writeBufferBytes);
    }

    public static StateResources createDefault() {
        return create(DEFAULT_CACHE_BYTES, DEFAULT_WRITE_BUFFER_BYTES);
    }

    LRUCache blockCache() {
        return blockCache;
    }

    WriteBufferManager writeBufferManager() {
        return writeBufferManager;
    }

    @Override
    public void close() {
        writeBufferManager.close();
        blockCache.close();
    }
}
