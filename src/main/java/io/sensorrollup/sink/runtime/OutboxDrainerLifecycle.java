package io.sensorrollup.sink.runtime;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sensorrollup.partition.PartitionTasks;
import io.sensorrollup.sink.DrainPolicy;
import io.sensorrollup.sink.LogRowSink;
import io.sensorrollup.sink.OutboxDrainer;
import io.sensorrollup.sink.PreparedRowSink;
import io.sensorrollup.sink.RefusedRows;
import io.sensorrollup.sink.RowSink;
import io.sensorrollup.sink.clickhouse.ClickHouseRowSink;
import io.sensorrollup.sink.postgres.PostgresRowSink;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jboss.logging.Logger;

/** Starts draining the outboxes into the sinks {@code rollup.sink} names, and stops at shutdown. */
@ApplicationScoped
class OutboxDrainerLifecycle {

    private static final Logger LOG = Logger.getLogger(OutboxDrainerLifecycle.class);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "outbox-drainer");
        t.setDaemon(true);
        return t;
    });
    private final RefusedRows refused = new RefusedRows();
    private OutboxDrainer drainer;

    /** The rows the stores refuse for their content, for the sinks' readiness checks. */
    @Produces
    @Singleton
    RefusedRows refusedRows() {
        return refused;
    }

    void start(@Observes StartupEvent ignored, SinkConfig config, PartitionTasks partitions, MeterRegistry registry,
            Instance<PostgresRowSink> postgres, Instance<ClickHouseRowSink> clickhouse, SinkPreparations preparations) {
        List<RowSink> sinks = new ArrayList<>();
        for (SinkConfig.Kind kind : config.kinds()) {
            RowSink sink = switch (kind) {
                case log -> new LogRowSink();
                case postgresql -> prepared(postgres.get(), preparations);
                case clickhouse -> prepared(clickhouse.get(), preparations);
            };
            sinks.add(new MeteredRowSink(sink, registry));
            Gauge.builder("rollup.sink.refused.rows", refused, r -> r.count(sink.name())).tag("sink", sink.name())
                    .description("Rows the store currently refuses for their content: kept in the outbox and retried")
                    .register(registry);
        }
        drainer = new OutboxDrainer(partitions, sinks, policy(config), System::nanoTime, refused);
        drainer.start(timer);
        LOG.infof("Writing closed windows to %s (batches of %d rows, at most %s apart)", config.kinds(), config.batchSize(),
                config.maxDelay());
    }

    private static RowSink prepared(RowSink sink, SinkPreparations preparations) {
        return new PreparedRowSink(sink, () -> preparations.isPrepared(sink.name()));
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (drainer != null) {
            drainer.close();
        }
        timer.shutdown();
    }

    static DrainPolicy policy(SinkConfig config) {
        requirePositive(config.maxDelay(), "rollup.sink.max-delay", true);
        requirePositive(config.retryBackoff(), "rollup.sink.retry-backoff", false);
        requirePositive(config.maxRetryBackoff(), "rollup.sink.max-retry-backoff", false);
        if (config.maxRetryBackoff().compareTo(config.retryBackoff()) < 0) {
            throw new IllegalArgumentException("rollup.sink.max-retry-backoff (" + config.maxRetryBackoff()
                    + ") must not be below rollup.sink.retry-backoff (" + config.retryBackoff() + ")");
        }
        return new DrainPolicy(config.batchSize(), config.maxDelay(), config.retryBackoff(), config.maxRetryBackoff());
    }

    private static void requirePositive(Duration d, String key, boolean zeroAllowed) {
        if (d.isNegative() || (!zeroAllowed && d.isZero())) {
            throw new IllegalArgumentException(key + " must be " + (zeroAllowed ? "zero or more" : "positive") + ": " + d);
        }
    }
}
