package io.sensorrollup.ops;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /api/history}: the console's overview, the samples of {@link MetricsHistory}, oldest first. */
@Path("/api/history")
@Produces(MediaType.APPLICATION_JSON)
public class MetricsHistoryResource {

    public record History(int everySeconds, List<MetricsHistory.Sample> samples) {
    }

    private final MetricsHistory history;

    MetricsHistoryResource(MetricsHistory history) {
        this.history = history;
    }

    @GET
    public History history() {
        return new History(MetricsHistory.EVERY_SECONDS, history.samples());
    }
}
