package io.sensorrollup.ops;

import io.smallrye.health.api.HealthRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.quarkus.runtime.StartupEvent;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** One readiness check per dependency, named after it, that really asks the server. */
@ApplicationScoped
class DependencyReadiness {

    void register(@Observes StartupEvent ignored, Dependencies dependencies, @Readiness HealthRegistry readiness) {
        for (Dependency dependency : dependencies.all()) {
            readiness.register(dependency.name(), () -> check(dependency));
        }
    }

    private static HealthCheckResponse check(Dependency dependency) {
        var response = HealthCheckResponse.named(dependency.name()).withData("endpoint", dependency.endpoint());
        try {
            dependency.ping().run();
            return response.up().build();
        } catch (Exception e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
