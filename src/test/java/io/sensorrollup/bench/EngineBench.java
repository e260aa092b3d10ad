package io.sensorrollup.bench;

import io.sensorrollup.source.RawBatch;
import io.sensorrollup.state.BatchResult;
import io.sensorrollup.state.EngineConfig;
import io.sensorrollup.state.OutboxEntry;
import io.sensorrollup.state.PartitionProcessor;
import io.sensorrollup.state.StateResources;
import io.sensorrollup.window.WindowSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Throughput of the production path: decode, 1m windows, RocksDB state per partition, a snapshot every
 * {@code --snapshot-every-s} of wall time per partition, closed rows drained from the outbox and dropped.
 *
 * <pre>
 * EngineBench --corpus FILE [--repeat R] [--partitions P] [--threads T] [--batch B] [--windows 1m]
 *             [--cache-bytes N] [--snapshot-every-s S]
 * </pre>
 * Lines go to partitions by a murmur3 hash of device_id (like key routing). Pass k of {@code --repeat}
 * shifts every timestamp by k times the corpus's event-time span rounded up to a whole hour; all passes are
 * rendered into per-partition byte arrays before the clock starts. Last line:
 * {@code events=N seconds=S events_per_s=R}.
 */
public final class EngineBench {

    private static final byte[] DEVICE_ID = "\"device_id\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TIMESTAMP = "\"timestamp\":".getBytes(StandardCharsets.US_ASCII);
    private static final long HOUR = 3_600_000L;
    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    /** All messages of one partition, back to back in one array. */
    static final class PartitionInput {
        byte[] data = new byte[1 << 20];
        int used;
        int[] offsets = new int[1024];
        int[] lengths = new int[1024];
        int count;

        void add(byte[] src, int off, int len) {
            if (used + len > data.length) {
                long want = Math.max((long) data.length * 2, (long) used + len);
                data = java.util.Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE - 16, want));
            }
            if (count == offsets.length) {
                offsets = java.util.Arrays.copyOf(offsets, count * 2);
                lengths = java.util.Arrays.copyOf(lengths, count * 2);
            }
            System.arraycopy(src, off, data, used, len);
            offsets[count] = used;
            lengths[count] = len;
            used += len;
            count++;
        }
    }

    public static void main(String[] args) throws Exception {
        Path corpus = null;
        int repeat = 1;
        int partitions = 8;
        int threads = Runtime.getRuntime().availableProcessors();
        int batchSize = 1000;
        String windows = "1m";
        long cacheBytes = EngineConfig.DEFAULT_CACHE_BYTES;
        long snapshotEveryMs = 10_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--corpus" -> corpus = Path.of(args[++i]);
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "--partitions" -> partitions = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--batch" -> batchSize = Integer.parseInt(args[++i]);
                case "--windows" -> windows = args[++i];
                case "--cache-bytes" -> cacheBytes = Long.parseLong(args[++i]);
                case "--snapshot-every-s" -> snapshotEveryMs = Long.parseLong(args[++i]) * 1000;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (corpus == null) {
            throw new IllegalArgumentException("--corpus FILE is required");
        }
        threads = Math.max(1, Math.min(threads, partitions));

        byte[] all = Files.readAllBytes(corpus);
        long minTs = Long.MAX_VALUE;
        long maxTs = Long.MIN_VALUE;
        List<int[]> lines = new ArrayList<>();
        for (int start = 0; start < all.length; ) {
            int end = start;
            while (end < all.length && all[end] != '\n') {
                end++;
            }
            lines.add(new int[] {start, end - start});
            int t = indexOf(all, start, end, TIMESTAMP);
            if (t >= 0) {
                long ts = digits(all, t + TIMESTAMP.length, end);
                if (ts != Long.MIN_VALUE) {
                    minTs = Math.min(minTs, ts);
                    maxTs = Math.max(maxTs, ts);
                }
            }
            start = end + 1;
        }
        long shift = maxTs >= minTs ? ((maxTs - minTs) / HOUR + 1) * HOUR : 0;

        PartitionInput[] inputs = new PartitionInput[partitions];
        for (int p = 0; p < partitions; p++) {
            inputs[p] = new PartitionInput();
        }
        byte[] scratch = new byte[1 << 16];
        for (int pass = 0; pass < repeat; pass++) {
            for (int[] line : lines) {
                int start = line[0];
                int len = line[1];
                int end = start + len;
                int p = partitionOf(all, start, end, partitions);
                int t = pass == 0 ? -1 : indexOf(all, start, end, TIMESTAMP);
                long ts = t < 0 ? Long.MIN_VALUE : digits(all, t + TIMESTAMP.length, end);
                if (ts == Long.MIN_VALUE) {
                    inputs[p].add(all, start, len);
                    continue;
                }
                int ds = t + TIMESTAMP.length;
                int de = ds;
                while (de < end && all[de] >= '0' && all[de] <= '9') {
                    de++;
                }
                byte[] shifted = Long.toString(ts + pass * shift).getBytes(StandardCharsets.US_ASCII);
                int n = 0;
                System.arraycopy(all, start, scratch, n, ds - start);
                n += ds - start;
                System.arraycopy(shifted, 0, scratch, n, shifted.length);
                n += shifted.length;
                System.arraycopy(all, de, scratch, n, end - de);
                n += end - de;
                inputs[p].add(scratch, 0, n);
            }
        }
        all = null;
        lines = null;
        long events = 0;
        for (PartitionInput in : inputs) {
            events += in.count;
        }
        System.out.printf("corpus: %d lines x %d passes, shift %d h, %d partitions on %d threads, batch %d%n",
                events / repeat, repeat, shift / HOUR, partitions, threads, batchSize);

        Path root = Files.createTempDirectory("engine-bench");
        EngineConfig config = EngineConfig.defaults(WindowSpec.parse(windows)).withCacheBytes(cacheBytes);
        AtomicLong emitted = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        AtomicLong snapshots = new AtomicLong();
        AtomicLong cpuNanos = new AtomicLong();
        System.gc();
        long t0;
        long t1;
        try (StateResources resources = StateResources.createDefault()) {
            PartitionProcessor[] processors = new PartitionProcessor[partitions];
            for (int p = 0; p < partitions; p++) {
                processors[p] = PartitionProcessor.open(root.resolve("state-" + p), config, resources,
                        System::currentTimeMillis);
            }
            Thread[] workers = new Thread[threads];
            int nThreads = threads;
            int batch = batchSize;
            long snapEvery = snapshotEveryMs;
            t0 = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                int id = t;
                workers[t] = new Thread(() -> {
                    try {
                        long c0 = THREADS.getCurrentThreadCpuTime();
                        work(id, nThreads, processors, inputs, batch, root, snapEvery, emitted, rejected, snapshots);
                        cpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - c0);
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                }, "partition-worker-" + t);
                workers[t].start();
            }
            for (Thread w : workers) {
                w.join();
            }
            t1 = System.nanoTime();
            for (PartitionProcessor p : processors) {
                p.close();
            }
        }
        deleteRecursively(root);
        double seconds = (t1 - t0) / 1e9;
        System.out.printf("rows=%d rejected=%d snapshots=%d%n", emitted.get(), rejected.get(), snapshots.get());
        // the machine may be shared: CPU time of the workers shows the cost per event regardless of contention
        double cpu = cpuNanos.get() / 1e9;
        System.out.printf("worker_cpu_seconds=%.3f ns_cpu_per_event=%.0f events_per_s_if_%d_cores_free=%.0f%n",
                cpu, cpuNanos.get() / (double) events, threads, events / cpu * threads);
        System.out.printf("events=%d seconds=%.3f events_per_s=%.0f%n", events, seconds, events / seconds);
    }

    /** One worker: its partitions (p % threads == id) in turn, one batch each, like a serial queue per partition. */
    private static void work(int id, int threads, PartitionProcessor[] processors, PartitionInput[] inputs, int batchSize,
            Path root, long snapshotEveryMs, AtomicLong emitted, AtomicLong rejected, AtomicLong snapshots)
            throws IOException {
        List<Integer> mine = new ArrayList<>();
        for (int p = id; p < processors.length; p += threads) {
            mine.add(p);
        }
        int[] next = new int[processors.length];
        long[] lastSnapshot = new long[processors.length];
        Path[] previousSnapshot = new Path[processors.length];
        int[] snapshotNo = new int[processors.length];
        long now0 = System.currentTimeMillis();
        for (int p : mine) {
            lastSnapshot[p] = now0;
        }
        RawBatch batch = new RawBatch(batchSize);
        long localEmitted = 0;
        long localRejected = 0;
        boolean more = true;
        while (more) {
            more = false;
            for (int p : mine) {
                PartitionInput in = inputs[p];
                int from = next[p];
                if (from >= in.count) {
                    continue;
                }
                int to = Math.min(in.count, from + batchSize);
                byte[] position = longBytes(to - 1);
                long arrival = System.currentTimeMillis();
                batch.clear();
                for (int i = from; i < to; i++) {
                    batch.add(in.data, in.offsets[i], in.lengths[i], position, arrival);
                }
                next[p] = to;
                more |= to < in.count;
                PartitionProcessor proc = processors[p];
                BatchResult r = proc.process(batch);
                localEmitted += r.emitted();
                localRejected += r.rejected().size();
                if (r.emitted() > 0) {
                    List<OutboxEntry> rows = proc.readOutbox(-1, 100_000);
                    if (!rows.isEmpty()) {
                        proc.deleteOutboxThrough(rows.get(rows.size() - 1).seq());
                    }
                }
                if (arrival - lastSnapshot[p] >= snapshotEveryMs) {
                    Path dir = root.resolve("chk-" + p + "-" + (++snapshotNo[p]));
                    proc.snapshot(dir);
                    snapshots.incrementAndGet();
                    if (previousSnapshot[p] != null) {
                        deleteRecursively(previousSnapshot[p]);
                    }
                    previousSnapshot[p] = dir;
                    lastSnapshot[p] = arrival;
                }
            }
        }
        emitted.addAndGet(localEmitted);
        rejected.addAndGet(localRejected);
    }

    private static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }

    /** murmur3 (32-bit, seed 0) of the device_id bytes; the whole line when it has none. */
    static int partitionOf(byte[] b, int start, int end, int partitions) {
        int at = indexOf(b, start, end, DEVICE_ID);
        int s = start;
        int e = end;
        if (at >= 0) {
            s = at + DEVICE_ID.length;
            e = s;
            while (e < end && b[e] != '"') {
                e++;
            }
        }
        return Math.floorMod(murmur3(b, s, e - s), partitions);
    }

    static int murmur3(byte[] data, int off, int len) {
        int h = 0;
        int i = 0;
        for (; i + 4 <= len; i += 4) {
            int k = (data[off + i] & 0xFF) | (data[off + i + 1] & 0xFF) << 8 | (data[off + i + 2] & 0xFF) << 16
                    | (data[off + i + 3] & 0xFF) << 24;
            h ^= mix(k);
            h = Integer.rotateLeft(h, 13) * 5 + 0xe6546b64;
        }
        int k = 0;
        switch (len - i) {
            case 3:
                k ^= (data[off + i + 2] & 0xFF) << 16;
            case 2:
                k ^= (data[off + i + 1] & 0xFF) << 8;
            case 1:
                k ^= data[off + i] & 0xFF;
                h ^= mix(k);
            default:
                break;
        }
        h ^= len;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    private static int mix(int k) {
        k *= 0xcc9e2d51;
        k = Integer.rotateLeft(k, 15);
        return k * 0x1b873593;
    }

    static int indexOf(byte[] b, int from, int to, byte[] needle) {
        outer:
        for (int i = from; i <= to - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The non-negative integer at {@code at}, or Long.MIN_VALUE when there is none. */
    static long digits(byte[] b, int at, int end) {
        long v = 0;
        int i = at;
        while (i < end && b[i] >= '0' && b[i] <= '9' && i - at < 18) {
            v = v * 10 + (b[i] - '0');
            i++;
        }
        return i == at ? Long.MIN_VALUE : v;
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
