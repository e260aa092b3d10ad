package io.sensorrollup.ops;

import io.sensorrollup.partition.CheckpointHistory;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * {@code GET /api/checkpoints}: the latest checkpoint attempts of each partition this pod ran, newest
 * first (Flink's {@code /jobs/:id/checkpoints}, per partition since each checkpoints on its own).
 */
@Path("/api/checkpoints")
@Produces(MediaType.APPLICATION_JSON)
public class CheckpointResource {

    public record Partition(int partition, CheckpointHistory.Attempt latest, List<CheckpointHistory.Attempt> history) {
    }

    private final CheckpointHistory history;

    CheckpointResource(CheckpointHistory history) {
        this.history = history;
    }

    @GET
    public List<Partition> checkpoints() {
        return history.attempts().entrySet().stream()
                .map(e -> new Partition(e.getKey(), e.getValue().isEmpty() ? null : e.getValue().get(0), e.getValue()))
                .toList();
    }
}
