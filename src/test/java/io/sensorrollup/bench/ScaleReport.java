package io.sensorrollup.bench;

import io.sensorrollup.bench.FleetPartition.CheckpointSample;
import io.sensorrollup.bench.FleetPartition.PartitionSample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/** The figures of {@link ScaleBench}: a line per minute of event time, and the summary with its RESULT line. */
final class ScaleReport {

    private static final double MB = 1 << 20;

    /** Everything read at one minute of event time (or at the end). */
    record Minute(int minute, long wallNanos, long eventMillis, long readings, List<PartitionSample> partitions,
            long s3Bytes, ProcessMemory memory, long blockCacheBytes, long blockCachePinnedBytes,
            long generateNanos, long processNanos, long drainNanos, double cpuSeconds, double loadAverage) {

        long sum(ToLongFunction<PartitionSample> f) {
            return partitions.stream().mapToLong(f).sum();
        }

        long cacheHits() {
            return sum(p -> p.stats().cacheHits());
        }

        long cacheMisses() {
            return sum(p -> p.stats().cacheMisses());
        }
    }

    private final ScaleOptions options;
    private final List<CheckpointSample> checkpoints = new ArrayList<>();
    private final List<Minute> minutes = new ArrayList<>();
    private int checkpointsPrinted;

    ScaleReport(ScaleOptions options) {
        this.options = options;
    }

    void committed(List<CheckpointSample> samples) {
        checkpoints.addAll(samples);
    }

    void minute(Minute m) {
        Minute previous = minutes.isEmpty() ? null : minutes.get(minutes.size() - 1);
        minutes.add(m);
        long readings = m.readings() - (previous == null ? 0 : previous.readings());
        long wall = m.wallNanos() - (previous == null ? 0 : previous.wallNanos());
        double cpu = m.cpuSeconds() - (previous == null ? 0 : previous.cpuSeconds());
        long hits = m.cacheHits() - (previous == null ? 0 : previous.cacheHits());
        long misses = m.cacheMisses() - (previous == null ? 0 : previous.cacheMisses());
        List<CheckpointSample> recent = checkpoints.subList(checkpointsPrinted, checkpoints.size());
        checkpointsPrinted = checkpoints.size();
        System.out.printf(Locale.ROOT,
                "min %3d wall %7.1fs %8.0f r/s (cum %8.0f, %s) cpu %.2f cores load %.1f | ckpt %d new: max %.2fs up %.1f MB vs rocks wrote %.1f MB"
                        + " (new sst %.1f MB) | state %.1f MB s3 %.1f MB windows %d | cache hit %.3f (cum %.3f) %.0f MB"
                        + " | rss %.0f MB heap %.0f MB (after gc %.0f) block cache %.0f MB (pinned %.0f) memtables %.0f MB"
                        + " table readers %.1f MB%n",
                m.minute(), m.wallNanos() / 1e9, readings / (wall / 1e9), m.readings() / (m.wallNanos() / 1e9),
                keptUp(m) ? "keeping up" : "behind", cpu / (wall / 1e9), m.loadAverage(), recent.size(),
                recent.stream().mapToLong(CheckpointSample::totalNanos).max().orElse(0) / 1e9,
                recent.stream().mapToLong(CheckpointSample::bytesUploaded).sum() / MB,
                recent.stream().mapToLong(CheckpointSample::rocksBytesWritten).sum() / MB,
                recent.stream().mapToLong(CheckpointSample::newSstBytes).sum() / MB,
                m.sum(p -> p.stats().sstBytes()) / MB, m.s3Bytes() / MB, m.sum(p -> p.stats().liveWindows()),
                ratio(hits, misses), ratio(m.cacheHits(), m.cacheMisses()), m.sum(PartitionSample::cacheBytes) / MB,
                m.memory().rssBytes() / MB, m.memory().heapUsedBytes() / MB, m.memory().heapAfterGcBytes() / MB,
                m.blockCacheBytes() / MB, m.blockCachePinnedBytes() / MB, m.sum(PartitionSample::memTableBytes) / MB,
                m.sum(PartitionSample::tableReaderBytes) / MB);
    }

    /** The summary; {@code restore} is the key=value pairs of the restore, in order. */
    void finish(Minute end, long skippedCheckpoints, Map<String, String> restore) {
        double wallSeconds = end.wallNanos() / 1e9;
        double eventSeconds = end.eventMillis() / 1e3;
        long[] totals = column(CheckpointSample::totalNanos);
        long[] commits = column(CheckpointSample::commitNanos);
        long[] snapshots = column(CheckpointSample::snapshotNanos);
        long uploaded = Arrays.stream(column(CheckpointSample::bytesUploaded)).sum();
        long written = Arrays.stream(column(CheckpointSample::rocksBytesWritten)).sum();
        long newSst = Arrays.stream(column(CheckpointSample::newSstBytes)).sum();
        long rssMax = minutes.stream().mapToLong(m -> m.memory().rssBytes()).max().orElse(0);
        long heapAfterGcMax = minutes.stream().mapToLong(m -> m.memory().heapAfterGcBytes()).max().orElse(0);
        long memtablesMax = minutes.stream().mapToLong(m -> m.sum(PartitionSample::memTableBytes)).max().orElse(0);
        long blockCacheMax = minutes.stream().mapToLong(Minute::blockCacheBytes).max().orElse(0);
        long busy = end.generateNanos() + end.processNanos() + end.drainNanos();
        System.out.printf(Locale.ROOT, "%d readings in %.1f s of wall time for %.0f s of event time: %.0f readings/s"
                        + " against %d asked: %s%n", end.readings(), wallSeconds, eventSeconds,
                end.readings() / wallSeconds, options.rate(), keptUp(end) ? "kept up" : "did NOT keep up");
        System.out.printf(Locale.ROOT, "this process used %.2f cores on average (all threads: partitions, uploads, GC,"
                        + " JIT, RocksDB's); machine load average at the end %.1f%n", end.cpuSeconds() / wallSeconds,
                end.loadAverage());
        System.out.printf(Locale.ROOT, "partition threads' time: generating %.0f%%, processing %.0f%%, draining the"
                        + " outbox %.0f%% (snapshots apart); %.1f µs/reading processing and draining%n",
                100.0 * end.generateNanos() / busy, 100.0 * end.processNanos() / busy, 100.0 * end.drainNanos() / busy,
                (end.processNanos() + end.drainNanos()) / 1e3 / Math.max(1, end.readings()));
        System.out.printf(Locale.ROOT, "%d checkpoints (%d skipped while the previous one uploaded): total p50 %.2f s"
                        + " p99 %.2f s max %.2f s (snapshot p50 %.2f s max %.2f s, upload p50 %.2f s max %.2f s);"
                        + " uploaded %.1f MB per checkpoint, RocksDB wrote %.1f MB per interval (new SST files %.1f MB):"
                        + " uploaded/written %.2f%n", totals.length, skippedCheckpoints, pct(totals, 0.5) / 1e9,
                pct(totals, 0.99) / 1e9, pct(totals, 1) / 1e9, pct(snapshots, 0.5) / 1e9, pct(snapshots, 1) / 1e9,
                pct(commits, 0.5) / 1e9, pct(commits, 1) / 1e9, uploaded / MB / Math.max(1, totals.length),
                written / MB / Math.max(1, totals.length), newSst / MB / Math.max(1, totals.length),
                (double) uploaded / Math.max(1, written));
        StringBuilder result = new StringBuilder();
        result.append(String.format(Locale.ROOT, "RESULT devices=%d windows=%s partitions=%d rate=%d event_s=%.0f"
                        + " wall_s=%.1f readings_per_s=%.0f kept_up=%b checkpoints=%d skipped=%d ckpt_p50_s=%.2f"
                        + " ckpt_p99_s=%.2f ckpt_max_s=%.2f uploaded_mb_per_ckpt=%.1f rocks_written_mb_per_ckpt=%.1f"
                        + " uploaded_over_written=%.2f state_mb=%.1f s3_mb=%.1f cache_hit=%.3f rss_mb=%.0f rss_max_mb=%.0f"
                        + " heap_after_gc_max_mb=%.0f block_cache_max_mb=%.0f memtables_max_mb=%.0f table_readers_mb=%.1f"
                        + " process_cores=%.2f",
                options.devices(), options.windows(), options.partitions(), options.rate(), eventSeconds, wallSeconds,
                end.readings() / wallSeconds, keptUp(end), totals.length, skippedCheckpoints, pct(totals, 0.5) / 1e9,
                pct(totals, 0.99) / 1e9, pct(totals, 1) / 1e9, uploaded / MB / Math.max(1, totals.length),
                written / MB / Math.max(1, totals.length), (double) uploaded / Math.max(1, written),
                end.sum(p -> p.stats().sstBytes()) / MB, end.s3Bytes() / MB, ratio(end.cacheHits(), end.cacheMisses()),
                end.memory().rssBytes() / MB, rssMax / MB, heapAfterGcMax / MB, blockCacheMax / MB, memtablesMax / MB,
                end.sum(PartitionSample::tableReaderBytes) / MB, end.cpuSeconds() / wallSeconds));
        restore.forEach((k, v) -> result.append(' ').append(k).append('=').append(v));
        System.out.println(result);
    }

    private static boolean keptUp(Minute m) {
        return m.wallNanos() / 1_000_000 <= m.eventMillis();
    }

    private static double ratio(long hits, long misses) {
        return hits + misses == 0 ? 1.0 : (double) hits / (hits + misses);
    }

    private long[] column(ToLongFunction<CheckpointSample> f) {
        return checkpoints.stream().mapToLong(f).toArray();
    }

    /** Nearest-rank percentile; 0 for no values. */
    private static long pct(long[] values, double p) {
        if (values.length == 0) {
            return 0;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
