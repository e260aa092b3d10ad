package io.sensorrollup.ops;

import io.sensorrollup.checkpoint.Checkpoints;
import io.sensorrollup.checkpoint.CompletedCheckpoint;
import io.sensorrollup.checkpoint.Manifest;
import io.sensorrollup.partition.PartitionTasks;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Savepoints, as in Flink: a checkpoint of every partition this pod owns taken now and kept until
 * deleted. Each pod takes its own partitions' parts; call every pod to cover the whole topic.
 */
@Path("/api/savepoints")
@Produces(MediaType.APPLICATION_JSON)
public class SavepointResource {

    public record Part(int partition, long checkpoint, String location, long bytesUploaded) {
    }

    public record Taken(String name, List<Part> parts) {
    }

    public record Listed(String name, List<Integer> partitions, List<Long> checkpoints) {
    }

    private final PartitionTasks partitions;
    private final Checkpoints checkpoints;
    private final ApiCredentials credentials;

    SavepointResource(PartitionTasks partitions, Checkpoints checkpoints, ApiCredentials credentials) {
        this.partitions = partitions;
        this.checkpoints = checkpoints;
        this.credentials = credentials;
    }

    @POST
    public Response take(@QueryParam("name") String name, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        credentials.require(authorization);
        String savepoint = name == null || name.isBlank() ? "savepoint-" + Instant.now().toEpochMilli() : name;
        try {
            List<Part> parts = partitions.savepointAll(savepoint).join().stream().map(SavepointResource::part).toList();
            return Response.status(Response.Status.CREATED).entity(new Taken(savepoint, parts)).build();
        } catch (IllegalArgumentException e) {
            return Response.status(Response.Status.BAD_REQUEST).entity(Map.of("error", e.getMessage())).build();
        }
    }

    @GET
    public List<Listed> list() throws IOException {
        return checkpoints.savepoints().stream()
                .map(s -> new Listed(s.name(), s.manifests().stream().map(Manifest::partition).toList(),
                        s.manifests().stream().map(Manifest::checkpointId).toList()))
                .toList();
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

    private static Part part(CompletedCheckpoint c) {
        return new Part(c.manifest().partition(), c.checkpointId(), c.location(), c.bytesUploaded());
    }
}
