package io.sensorrollup.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.sensorrollup.checkpoint.PartitionCountChangedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * The checkpoint store's preparation, which never ends start-up for a store that does not answer
 * (CONTRACT §6): it goes on retrying after {@code rollup.startup.dependency-timeout}; until it succeeds the
 * pod is not ready (named in readiness) and no partition restores ({@link CheckpointStoreGate}). A refused
 * partition count is final: during start-up it fails start-up, later it stops the service.
 */
@ApplicationScoped
class CheckpointStoreStartup {

    static final String CHECK = "checkpoint-store-prepared";
    /** Exit code when the store, answering late, refuses the topic's partition count. */
    static final int REFUSED_EXIT = 1;

    private static final Logger LOG = Logger.getLogger(CheckpointStoreStartup.class);

    private final Dependency store;
    private final RetriedPreparation preparation;
    private final CompletableFuture<Void> prepared = new CompletableFuture<>();
    private final CheckpointStoreGate gate;

    CheckpointStoreStartup(Dependencies dependencies, CheckpointStoreGate gate, MeterRegistry metrics) {
        this.store = dependencies.checkpointStore();
        Counter failures = Counter.builder("rollup.dependency.prepare.failures").tag("dependency", store.name())
                .description("failed attempts to prepare a dependency at start-up").register(metrics);
        this.preparation = new RetriedPreparation(store, e -> e instanceof PartitionCountChangedException, failures::increment);
        this.gate = gate;
    }

    /** Starts preparing; completes when prepared (the gate is open then), exceptionally when refused. */
    CompletableFuture<Void> begin() {
        preparation.start().whenComplete((ok, e) -> {
            if (e == null) {
                gate.open();
                prepared.complete(null);
            } else {
                prepared.completeExceptionally(e);
            }
        });
        return prepared;
    }

    Dependency dependency() {
        return store;
    }

    /** Start-up goes on without the store: a final failure later stops the service. */
    void continueAfterStartUp() {
        prepared.whenComplete((ok, e) -> {
            if (e instanceof PartitionCountChangedException refused) {
                LOG.error(refused.getMessage());
                Quarkus.asyncExit(REFUSED_EXIT);
            }
        });
    }

    @Readiness
    HealthCheck ready() {
        return () -> {
            var response = HealthCheckResponse.named(CHECK).withData("dependency", store.name())
                    .withData("endpoint", store.endpoint());
            if (preparation.isPrepared()) {
                return response.up().build();
            }
            return response.down().withData("attempts", preparation.attempts())
                    .withData("error", preparation.lastError())
                    .withData("meanwhile", "no partition restores; retrying with backoff").build();
        };
    }

    void stop(@Observes ShutdownEvent ignored) {
        preparation.stop();
    }
}
