package io.sensorrollup.partition.runtime;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.sensorrollup.partition.PartitionTask;
import io.sensorrollup.partition.PartitionTasks;
import io.sensorrollup.state.PartitionProcessor;
import io.sensorrollup.state.PartitionStats;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Gauges of each owned partition's state, sampled on its own queue every few seconds (a scrape never
 * waits for a partition), removed when the partition leaves the pod.
 */
@ApplicationScoped
class TaskGauges {

    private final PartitionTasks partitions;
    private final MeterRegistry registry;
    private final Map<Integer, Sampled> sampled = new ConcurrentHashMap<>();

    TaskGauges(PartitionTasks partitions, MeterRegistry registry) {
        this.partitions = partitions;
        this.registry = registry;
        Gauge.builder("rollup.partitions.owned", partitions, p -> p.owned().size())
                .description("Partitions this pod processes").register(registry);
    }

    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sample() {
        var owned = partitions.owned();
        sampled.keySet().removeIf(p -> {
            if (owned.contains(p)) {
                return false;
            }
            sampled.get(p).meters.forEach(registry::remove);
            return true;
        });
        for (int p : owned) {
            partitions.get(p).ifPresent(task -> sample(p, task));
        }
    }

    private void sample(int partition, PartitionTask task) {
        try {
            PartitionStats stats = task.withProcessor(PartitionProcessor::stats).toCompletableFuture().get(5, TimeUnit.SECONDS);
            sampled.computeIfAbsent(partition, this::register).stats = stats;
        } catch (Exception notNow) {
            // restoring, dropped meanwhile, or busy: the next sample will do
        }
    }

    private Sampled register(int partition) {
        Sampled s = new Sampled();
        Tags tags = Tags.of("partition", Integer.toString(partition));
        s.gauge(registry, "rollup.windows.open", tags, "Windows in state (open, or closed within allowed lateness)",
                st -> st.liveWindows());
        s.gauge(registry, "rollup.watermark.lag.seconds", tags, "Wall clock minus the partition's watermark",
                st -> st.watermark() == Long.MIN_VALUE ? Double.NaN : (System.currentTimeMillis() - st.watermark()) / 1000.0);
        s.gauge(registry, "rollup.state.sst.bytes", tags, "RocksDB live SST bytes", st -> st.sstBytes());
        s.gauge(registry, "rollup.state.keys.estimated", tags, "RocksDB's estimate of keys", st -> st.estimatedKeys());
        s.gauge(registry, "rollup.state.cache.hit.ratio", tags, "Reads the write-back cache answered", PartitionStats::cacheHitRatio);
        s.gauge(registry, "rollup.outbox.rows", tags, "Closed rows the sinks have not confirmed", st -> st.outboxRows());
        return s;
    }

    private static final class Sampled {
        volatile PartitionStats stats;
        final List<Meter> meters = new ArrayList<>();

        void gauge(MeterRegistry registry, String name, Tags tags, String description, ToDoubleFunction<PartitionStats> value) {
            meters.add(Gauge.builder(name, this, s -> s.stats == null ? Double.NaN : value.applyAsDouble(s.stats))
                    .tags(tags).description(description).strongReference(true).register(registry));
        }
    }
}
