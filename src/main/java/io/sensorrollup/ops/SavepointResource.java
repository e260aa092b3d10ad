package io.sensorrollup.ops;

import io.sensorrollup.checkpoint.Checkpoints;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Savepoints of the whole topic, as in Flink, whichever pod is asked ({@link ClusterSavepoints}): {@code POST} waits
 * up to {@value #WAIT_SECONDS} s for every partition's part and answers 201 when the savepoint is complete, 202 with
 * the partitions still missing otherwise (their pods take them at their next poll; {@code GET} shows when).
 */
@Path("/api/savepoints")
@Produces(MediaType.APPLICATION_JSON)
public class SavepointResource {

    static final int WAIT_SECONDS = 20;

    private final ClusterSavepoints savepoints;
    private final Checkpoints checkpoints;
    private final ApiCredentials credentials;

    SavepointResource(ClusterSavepoints savepoints, Checkpoints checkpoints, ApiCredentials credentials) {
        this.savepoints = savepoints;
        this.checkpoints = checkpoints;
        this.credentials = credentials;
    }

    @POST
    public Response take(@QueryParam("name") String name, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization)
            throws IOException, InterruptedException {
        credentials.require(authorization);
        String savepoint = name == null || name.isBlank() ? "savepoint-" + Instant.now().toEpochMilli() : name;
        try {
            ClusterSavepoints.Status status = savepoints.request(savepoint, Duration.ofSeconds(WAIT_SECONDS));
            return Response.status(status.complete() ? Response.Status.CREATED : Response.Status.ACCEPTED).entity(status).build();
        } catch (IllegalArgumentException e) {
            return Response.status(e.getMessage().contains("exists") ? Response.Status.CONFLICT : Response.Status.BAD_REQUEST)
                    .entity(Map.of("error", e.getMessage())).build();
        }
    }

    @GET
    public List<ClusterSavepoints.Status> list() throws IOException {
        return savepoints.all();
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("name") String name, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization)
            throws IOException {
        credentials.require(authorization);
        return checkpoints.deleteSavepoint(name) == 0
                ? Response.status(Response.Status.NOT_FOUND).entity(Map.of("error", "no savepoint " + name)).build()
                : Response.noContent().build();
    }
}
