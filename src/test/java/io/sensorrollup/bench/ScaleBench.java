package io.sensorrollup.bench;

import io.sensorrollup.bench.FleetPartition.CheckpointSample;
import io.sensorrollup.bench.FleetPartition.PartitionSample;
import io.sensorrollup.checkpoint.CheckpointStore;
import io.sensorrollup.checkpoint.Checkpoints;
import io.sensorrollup.checkpoint.FileCheckpointStore;
import io.sensorrollup.checkpoint.StoredObject;
import io.sensorrollup.checkpoint.s3.S3CheckpointStore;
import io.sensorrollup.it.LocalServersResource;
import io.sensorrollup.state.Directories;
import io.sensorrollup.state.EngineConfig;
import io.sensorrollup.state.StateProbe;
import io.sensorrollup.state.StateResources;
import io.sensorrollup.window.WindowSpec;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * A whole pod's engine at fleet scale (issue 18): every partition's real {@link io.sensorrollup.state.PartitionProcessor}
 * and RocksDB store, sharing one {@link StateResources} as the service does, run on a pool of one thread per core as
 * the service's partition pool, fed a {@link io.sensorrollup.source.simulator.SimulatedFleet} in event time (every
 * device about every 10 s), checkpointed every {@code --interval-s} of event time to s3proxy through
 * {@link Checkpoints} with retention 3, uploads on a pool of 4 as the service's. Runs as fast as the machine goes
 * and says whether that kept up with {@code --rate}; prints a line per minute of event time, the summary, the
 * restore of one partition with nothing local, and a RESULT line. {@link ScaleOptions#USAGE} gives the arguments.
 */
public final class ScaleBench {

    private static final int UPLOAD_THREADS = 4; // the service's checkpoint-upload pool
    private static final String BUCKET = "checkpoint-bench";

    public static void main(String[] args) throws Exception {
        BenchLogLevels.apply();
        ScaleOptions options = ScaleOptions.parse(args);
        Path work = Files.createTempDirectory("scale-bench");
        CheckpointStore store = options.s3() ? s3Store("scale-" + UUID.randomUUID()) : new FileCheckpointStore(work.resolve("store"));
        describe(options, options.s3() ? store.describe("") : work.resolve("store").toUri().toString());
        Checkpoints checkpoints = new Checkpoints(store, Checkpoints.DEFAULT_RETAINED, Checkpoints.DEFAULT_STRAY_GRACE, Clock.systemUTC());
        EngineConfig config = EngineConfig.defaults(WindowSpec.parse(options.windows())).withCacheBytes(options.cachePerPartition());
        ExecutorService compute = Executors.newFixedThreadPool(options.threads());
        ExecutorService io = Executors.newFixedThreadPool(UPLOAD_THREADS);
        try (StateResources resources = StateResources.create(options.blockCache(), options.writeBuffers())) {
            Queue<CheckpointSample> committed = new ConcurrentLinkedQueue<>();
            List<FleetPartition> partitions = new ArrayList<>();
            for (int p = 0; p < options.partitions(); p++) {
                partitions.add(new FleetPartition(p, options, config, resources, checkpoints.partition(p),
                        work.resolve("state/partition-" + p), io, committed));
            }
            // the generator's device table stays on the heap the whole run, where a pod holds client buffers instead
            System.gc();
            System.out.printf(Locale.ROOT, "heap after GC with the generator's %d devices and the stores open: %.0f MiB%n",
                    options.devices(), ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (double) (1 << 20));
            ScaleReport report = new ScaleReport(options);
            ScaleReport.Minute last = null;
            long started = System.nanoTime();
            long eventSeconds = options.eventMinutes() * 60L;
            for (long s = 0; s < eventSeconds; s++) {
                long second = s;
                boolean checkpoint = (s + 1) % options.intervalSeconds() == 0;
                boolean minute = (s + 1) % 60 == 0;
                List<Callable<PartitionSample>> slices = new ArrayList<>();
                for (FleetPartition partition : partitions) {
                    slices.add(() -> {
                        partition.runSecond(second);
                        PartitionSample sample = null;
                        if (minute) {
                            // before the checkpoint, whose flush empties the memtables
                            partition.processBatch();
                            sample = partition.sample();
                        }
                        if (checkpoint) {
                            partition.checkpoint(second + 1);
                        }
                        return sample;
                    });
                }
                List<PartitionSample> samples = new ArrayList<>();
                for (Future<PartitionSample> f : compute.invokeAll(slices)) {
                    samples.add(f.get());
                }
                if (minute) {
                    report.committed(drain(committed));
                    last = minute((int) ((s + 1) / 60), System.nanoTime() - started, partitions, samples, store, resources);
                    report.minute(last);
                    if (last.wallNanos() / 1_000_000_000 >= options.maxWallSeconds() && s + 1 < eventSeconds) {
                        System.out.printf(Locale.ROOT, "stopping after %d of %d minutes of event time: --max-wall-s %d%n",
                                last.minute(), options.eventMinutes(), options.maxWallSeconds());
                        eventSeconds = s + 1;
                    }
                }
            }
            partitions.forEach(FleetPartition::awaitCommit);
            report.committed(drain(committed));
            long skipped = partitions.stream().mapToLong(FleetPartition::skippedCheckpoints).sum();
            for (FleetPartition partition : partitions) {
                partition.close();
            }
            Map<String, String> restore = options.restore()
                    ? ScaleRestore.run(checkpoints, 0, config, resources, work.resolve("restore"),
                            FleetPartition.EPOCH + eventSeconds * 1000 + 1000)
                    : Map.of();
            report.finish(Objects.requireNonNull(last), skipped, restore);
        } finally {
            compute.shutdownNow();
            io.shutdownNow();
            store.delete(store.list("").stream().map(StoredObject::key).toList());
            Directories.deleteRecursively(work);
        }
    }

    private static ScaleReport.Minute minute(int minute, long wallNanos, List<FleetPartition> partitions,
            List<PartitionSample> samples, CheckpointStore store, StateResources resources) throws Exception {
        long s3Bytes = store.list("").stream().mapToLong(StoredObject::size).sum();
        return new ScaleReport.Minute(minute, wallNanos, minute * 60_000L,
                partitions.stream().mapToLong(p -> p.readings).sum(), samples, s3Bytes, ProcessMemory.now(),
                StateProbe.blockCacheUsage(resources), StateProbe.blockCachePinnedUsage(resources),
                partitions.stream().mapToLong(p -> p.generateNanos).sum(),
                partitions.stream().mapToLong(p -> p.processNanos).sum(),
                partitions.stream().mapToLong(p -> p.drainNanos).sum(), ProcessCpu.seconds(ProcessHandle.current().pid()),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static List<CheckpointSample> drain(Queue<CheckpointSample> queue) {
        List<CheckpointSample> out = new ArrayList<>();
        for (CheckpointSample s; (s = queue.poll()) != null; ) {
            out.add(s);
        }
        return out;
    }

    private static void describe(ScaleOptions o, String store) {
        System.out.printf(Locale.ROOT, "%d devices in %d partitions, %d readings/s of event time (%.1f s between a"
                        + " device's readings), windows %s, %d min of event time, batches of %d, %d partition threads;"
                        + " a checkpoint every %d s of event time to %s, %d kept%n",
                o.devices(), o.partitions(), o.rate(), (double) o.devices() / o.rate(), o.windows(), o.eventMinutes(),
                o.batch(), o.threads(), o.intervalSeconds(), store, Checkpoints.DEFAULT_RETAINED);
        System.out.printf(Locale.ROOT, "memory: write-back cache %d MiB per partition, block cache %d MiB, write buffers"
                        + " %d MiB (charged to the block cache); JVM max heap %d MiB, flags %s, MALLOC_ARENA_MAX=%s%n",
                o.cachePerPartition() >> 20, o.blockCache() >> 20, o.writeBuffers() >> 20,
                Runtime.getRuntime().maxMemory() >> 20, ManagementFactory.getRuntimeMXBean().getInputArguments(),
                System.getenv().getOrDefault("MALLOC_ARENA_MAX", "unset"));
    }

    private static CheckpointStore s3Store(String prefix) {
        S3Client client = LocalServersResource.s3(LocalServersResource.servers().env());
        try {
            client.headBucket(b -> b.bucket(BUCKET));
        } catch (NoSuchBucketException missing) {
            client.createBucket(b -> b.bucket(BUCKET));
        }
        return new S3CheckpointStore(client, BUCKET, prefix);
    }
}
