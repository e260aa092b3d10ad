package io.sensorrollup.ops;

import io.quarkus.runtime.StartupEvent;
import io.sensorrollup.sink.Refusal;
import io.sensorrollup.sink.RefusedRows;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.HealthRegistry;
import io.smallrye.health.registry.HealthRegistries;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * One check per dependency in the health group {@value #GROUP} ({@code /q/health/group/dependencies}), named after
 * it, that really asks the server; a sink's is DOWN as well while its store refuses a row for its content, naming
 * the oldest such row. The clients block, so each check runs on a worker thread, all of them at once, each bounded
 * in time.
 *
 * <p>Not in readiness (CONTRACT §6): the servers are shared by every pod, so a ClickHouse outage would take every
 * pod out of the Service at once and stall the rolling update that might fix it, while the pods' work goes on
 * (rows wait in the outboxes). Readiness says whether this pod can do its work; the outage shows here, in the
 * metrics and in the alerts.
 */
@ApplicationScoped
class DependencyHealth {

    static final String GROUP = "dependencies";
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    void register(@Observes StartupEvent ignored, Dependencies dependencies, RefusedRows refused) {
        // a group's registry is not a CDI bean (only liveness, readiness, startup and wellness are)
        HealthRegistry group = HealthRegistries.getHealthGroupRegistry(GROUP);
        for (Dependency dependency : dependencies.all()) {
            group.register(dependency.name(), (AsyncHealthCheck) () -> check(dependency, refused));
        }
    }

    private static Uni<HealthCheckResponse> check(Dependency dependency, RefusedRows refused) {
        var response = HealthCheckResponse.named(dependency.name()).withData("endpoint", dependency.endpoint());
        return Uni.createFrom().item(() -> {
                    try {
                        dependency.ping().run();
                        // a sink that answers but refuses rows for their content is not healthy either (issue 12 item 3)
                        Optional<Refusal> oldest = refused.oldest(dependency.name());
                        if (oldest.isPresent()) {
                            return response.down().withData("refused_rows", refused.count(dependency.name()))
                                    .withData("refused_row", oldest.get().row())
                                    .withData("refused_partition", oldest.get().partition())
                                    .withData("error", oldest.get().message()).build();
                        }
                        return response.up().build();
                    } catch (Exception e) {
                        return response.down().withData("error", Reasons.of(e)).build();
                    }
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .ifNoItem().after(TIMEOUT)
                .recoverWithItem(() -> response.down().withData("error", "no answer within " + TIMEOUT.toSeconds() + " s").build());
    }
}
