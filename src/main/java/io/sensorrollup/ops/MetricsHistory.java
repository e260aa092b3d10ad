package io.sensorrollup.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The last {@value #KEPT} samples, one every {@value #EVERY_SECONDS} s (15 minutes), of the totals the console's
 * overview charts: readings received, rows written per store, readings rejected per reason (each one goes to the
 * dead-letter topic; {@code late} among them), outbox rows and the subscription's backlog. Read from the meters
 * the service keeps anyway, so a console opened now shows the last 15 minutes, not only what it saw itself.
 */
@ApplicationScoped
public class MetricsHistory {

    static final int EVERY_SECONDS = 5;
    static final int KEPT = 15 * 60 / EVERY_SECONDS;

    /** Counter totals since start-up (the console turns them into rates) and gauges as they were. */
    public record Sample(Instant time, double received, Map<String, Double> written, Map<String, Double> rejected, double outbox,
            double backlog) {
    }

    private final MeterRegistry registry;
    private final LongSupplier clock;
    private final Deque<Sample> samples = new ArrayDeque<>();

    @Inject
    MetricsHistory(MeterRegistry registry) {
        this(registry, System::currentTimeMillis);
    }

    MetricsHistory(MeterRegistry registry, LongSupplier clock) {
        this.registry = registry;
        this.clock = clock;
    }

    @Scheduled(every = EVERY_SECONDS + "s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sample() {
        Sample sample = new Sample(Instant.ofEpochMilli(clock.getAsLong()), counters(registry.find("rollup.readings.received")),
                countersBy(registry.find("rollup.sink.rows.written"), "sink"),
                countersBy(registry.find("rollup.readings.rejected"), "reason"),
                gauges(registry.find("rollup.outbox.rows")), gauges(registry.find("rollup.source.backlog.messages")));
        synchronized (samples) {
            samples.addLast(sample);
            while (samples.size() > KEPT) {
                samples.removeFirst();
            }
        }
    }

    /** Oldest first. */
    List<Sample> samples() {
        synchronized (samples) {
            return new ArrayList<>(samples);
        }
    }

    private static double counters(Search meters) {
        return meters.counters().stream().mapToDouble(Counter::count).sum();
    }

    private static Map<String, Double> countersBy(Search meters, String tag) {
        Map<String, Double> by = new TreeMap<>();
        for (Counter c : meters.counters()) {
            by.merge(String.valueOf(c.getId().getTag(tag)), c.count(), Double::sum);
        }
        return by;
    }

    /** The sum over the gauge's series; a series with no value yet (NaN) counts as none. */
    private static double gauges(Search meters) {
        return meters.gauges().stream().mapToDouble(Gauge::value).filter(v -> !Double.isNaN(v)).sum();
    }
}
