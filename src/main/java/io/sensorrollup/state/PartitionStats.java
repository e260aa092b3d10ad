package io.sensorrollup.state;

/**
 * What operators watch of one partition's state (sampled between batches).
 *
 * @param liveWindows   windows in state: open, or closed and within allowed lateness
 * @param watermark     event time up to which windows are closed (Long.MIN_VALUE before the first reading)
 * @param outboxRows    closed rows the sink has not confirmed
 * @param sstBytes      RocksDB live SST bytes over all column families
 * @param estimatedKeys RocksDB's estimate of keys over all column families
 * @param cacheHits     reads the write-back cache answered, since the partition was opened
 * @param cacheMisses   reads that went to RocksDB
 */
public record PartitionStats(int liveWindows, long watermark, long outboxRows, long sstBytes, long estimatedKeys,
        long cacheHits, long cacheMisses) {

    /** Hits over reads, or 1 before the first read. */
    public double cacheHitRatio() {
        long reads = cacheHits + cacheMisses;
        return reads == 0 ? 1.0 : (double) cacheHits / reads;
    }
}
