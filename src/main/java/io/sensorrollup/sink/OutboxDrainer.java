package io.sensorrollup.sink;

import io.sensorrollup.partition.PartitionTask;
import io.sensorrollup.partition.PartitionTasks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Drains the outbox of every partition this pod owns into the configured sinks, each partition on its
 * own ({@link PartitionDrain}), one batch in flight per partition. A partition that moves away takes its
 * undrained rows with it: they are in its checkpoint, and its next owner writes them.
 */
public final class OutboxDrainer implements AutoCloseable {

    private static final Duration TICK = Duration.ofMillis(50);

    private final PartitionTasks partitions;
    private final List<RowSink> sinks;
    private final DrainPolicy policy;
    private final LongSupplier nanoClock;
    private final RefusedRows refused;
    private final Map<PartitionTask, PartitionDrain> drains = new ConcurrentHashMap<>();
    private volatile ScheduledFuture<?> ticking;

    public OutboxDrainer(PartitionTasks partitions, List<RowSink> sinks, DrainPolicy policy, LongSupplier nanoClock) {
        this(partitions, sinks, policy, nanoClock, new RefusedRows());
    }

    /** {@code refused}: where the rows a store refuses for their content are reported (metric, readiness). */
    public OutboxDrainer(PartitionTasks partitions, List<RowSink> sinks, DrainPolicy policy, LongSupplier nanoClock,
            RefusedRows refused) {
        if (sinks.isEmpty()) {
            throw new IllegalArgumentException("no sink to drain into");
        }
        this.partitions = partitions;
        this.sinks = List.copyOf(sinks);
        this.policy = policy;
        this.nanoClock = nanoClock;
        this.refused = refused;
    }

    public void start(ScheduledExecutorService timer) {
        ticking = timer.scheduleWithFixedDelay(this::poll, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts the writes that are due (the timer calls this every 50 ms). */
    public void poll() {
        var owned = partitions.tasks();
        drains.entrySet().removeIf(e -> {
            boolean gone = !owned.contains(e.getKey());
            if (gone) {
                e.getValue().close();
            }
            return gone;
        });
        long now = nanoClock.getAsLong();
        for (PartitionTask task : owned) {
            drains.computeIfAbsent(task, t -> new PartitionDrain(t, sinks, policy, refused)).poll(now);
        }
    }

    /** True when no owned partition has a row waiting or a write in flight. */
    public boolean drained() {
        return partitions.tasks().stream().allMatch(t -> {
            PartitionDrain drain = drains.get(t);
            return drain == null ? t.outboxRows() == 0 : drain.idle();
        });
    }

    @Override
    public void close() {
        ScheduledFuture<?> t = ticking;
        if (t != null) {
            t.cancel(false);
        }
    }
}
