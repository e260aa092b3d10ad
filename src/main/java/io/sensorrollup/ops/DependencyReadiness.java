package io.sensorrollup.ops;

import io.quarkus.runtime.StartupEvent;
import io.sensorrollup.sink.Refusal;
import io.sensorrollup.sink.RefusedRows;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.HealthRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * One readiness check per dependency, named after it, that really asks the server; a sink's is DOWN as well
 * while its store refuses a row for its content, naming the oldest such row. The clients
 * block, so each check runs on a worker thread, all of them at once, each bounded in time.
 */
@ApplicationScoped
class DependencyReadiness {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    void register(@Observes StartupEvent ignored, Dependencies dependencies, RefusedRows refused,
            @Readiness HealthRegistry readiness) {
        for (Dependency dependency : dependencies.all()) {
            readiness.register(dependency.name(), (AsyncHealthCheck) () -> check(dependency, refused));
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
                        return response.down().withData("error", String.valueOf(e.getMessage())).build();
                    }
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .ifNoItem().after(TIMEOUT)
                .recoverWithItem(() -> response.down().withData("error", "no answer within " + TIMEOUT.toSeconds() + " s").build());
    }
}
