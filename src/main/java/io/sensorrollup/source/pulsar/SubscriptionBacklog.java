package io.sensorrollup.source.pulsar;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.arc.profile.UnlessBuildProfile;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The subscription's backlog per partition (messages not acknowledged yet: the consumer lag), from
 * Pulsar's topic statistics. Every pod sees the whole subscription, so aggregate the gauge with
 * {@code max by (partition)}, not {@code sum}.
 */
@ApplicationScoped
@UnlessBuildProfile("embedded")
public class SubscriptionBacklog {

    private final SubscriptionStats stats;
    private final MeterRegistry registry;
    private final Map<Integer, AtomicLong> gauges = new ConcurrentHashMap<>();
    private volatile Map<Integer, Long> last = Map.of();

    SubscriptionBacklog(SubscriptionStats stats, MeterRegistry registry) {
        this.stats = stats;
        this.registry = registry;
    }

    /** Unacknowledged messages per partition, as of the last sample (empty before the first). */
    public Map<Integer, Long> perPartition() {
        return last;
    }

    @Scheduled(every = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sample() {
        try {
            last = read();
        } catch (IOException e) {
            return; // the broker's readiness check reports it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        last.forEach((partition, backlog) -> gauges.computeIfAbsent(partition, p -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("rollup.source.backlog.messages", value, AtomicLong::get)
                    .tags(Tags.of("partition", Integer.toString(p)))
                    .description("Messages of the partition the subscription has not acknowledged (consumer lag)")
                    .register(registry);
            return value;
        }).set(backlog));
    }

    private Map<Integer, Long> read() throws IOException, InterruptedException {
        Map<Integer, Long> backlog = new TreeMap<>();
        stats.read().forEach((partition, subscription) -> backlog.put(partition, subscription.backlog()));
        return backlog;
    }
}
