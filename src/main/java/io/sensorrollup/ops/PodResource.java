package io.sensorrollup.ops;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** {@code GET /api/pod}: which pod answers, its version, and since when it runs. */
@Path("/api/pod")
@Produces(MediaType.APPLICATION_JSON)
public class PodResource {

    public record Pod(String pod, String version, Instant startedAt, long uptimeSeconds) {
    }

    private final String pod;
    private final String version;

    PodResource(@ConfigProperty(name = "mp.messaging.incoming.readings.consumerName") String pod,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String version) {
        this.pod = pod;
        this.version = version;
    }

    @GET
    public Pod pod() {
        Instant started = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
        return new Pod(pod, version, started, Duration.between(started, Instant.now()).toSeconds());
    }
}
