package io.sensorrollup.ops;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.HealthRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * One readiness check per dependency, named after it, that really asks the server. The clients
 * block, so each check runs on a worker thread, all of them at once, each bounded in time.
 */
@ApplicationScoped
class DependencyReadiness {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    void register(@Observes StartupEvent ignored, Dependencies dependencies, @Readiness HealthRegistry readiness) {
        for (Dependency dependency : dependencies.all()) {
            readiness.register(dependency.name(), (AsyncHealthCheck) () -> check(dependency));
        }
    }

    private static Uni<HealthCheckResponse> check(Dependency dependency) {
        var response = HealthCheckResponse.named(dependency.name()).withData("endpoint", dependency.endpoint());
        return Uni.createFrom().item(() -> {
                    try {
                        dependency.ping().run();
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
