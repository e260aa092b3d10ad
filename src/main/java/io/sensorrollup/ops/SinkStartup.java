package io.sensorrollup.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.sensorrollup.sink.IncompatibleTableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;

/**
 * Goes on preparing a store that did not answer within {@code rollup.startup.dependency-timeout}, after start-up:
 * a store that is down must not keep a pod from its work (CONTRACT §6), and a restart during an outage must not
 * crash-loop. Meanwhile the store's closed windows wait in the outboxes. A table that does not fit stops the
 * service, as it would have stopped start-up.
 */
@ApplicationScoped
class SinkStartup {

    /** Exit code when a store, answering late, holds a table the rows do not fit. */
    static final int INCOMPATIBLE_EXIT = 1;

    private static final Logger LOG = Logger.getLogger(SinkStartup.class);

    private final MeterRegistry metrics;
    private final List<RetriedPreparation> preparations = new CopyOnWriteArrayList<>();

    SinkStartup(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    void continueAfterStartUp(Dependency sink) {
        Counter failures = Counter.builder("rollup.dependency.prepare.failures").tag("dependency", sink.name())
                .description("failed attempts to prepare a dependency at start-up").register(metrics);
        RetriedPreparation preparation = new RetriedPreparation(sink, e -> e instanceof IncompatibleTableException,
                failures::increment);
        preparations.add(preparation);
        preparation.start().whenComplete((ok, e) -> {
            if (e instanceof IncompatibleTableException incompatible) {
                LOG.errorf("Cannot use %s at %s: %s", sink.name(), sink.endpoint(), incompatible.getMessage());
                Quarkus.asyncExit(INCOMPATIBLE_EXIT);
            }
        });
    }

    void stop(@Observes ShutdownEvent ignored) {
        preparations.forEach(RetriedPreparation::stop);
    }
}
