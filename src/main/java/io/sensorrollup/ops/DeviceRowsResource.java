package io.sensorrollup.ops;

import io.sensorrollup.sink.clickhouse.ClickHouseDeviceRows;
import io.sensorrollup.sink.runtime.SinkConfig;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * {@code GET /api/devices/{id}/rows?limit=10}: the device's latest rows in ClickHouse, the store users read, beside
 * the windows still in state ({@link DeviceWindowsResource}). 503 naming the store when it does not answer.
 */
@Path("/api/devices/{id}/rows")
@Produces(MediaType.APPLICATION_JSON)
public class DeviceRowsResource {

    static final int MAX_LIMIT = 100;
    private static final int MAX_ID_LENGTH = 1024;

    private final ClickHouseDeviceRows rows;
    private final SinkConfig sinks;

    DeviceRowsResource(ClickHouseDeviceRows rows, SinkConfig sinks) {
        this.rows = rows;
        this.sinks = sinks;
    }

    @GET
    public Response rows(@PathParam("id") String deviceId, @QueryParam("limit") @DefaultValue("10") int limit) {
        if (!sinks.writesTo(SinkConfig.Kind.clickhouse)) {
            return Response.status(Response.Status.NOT_FOUND).entity(Map.of("error",
                    "rows are read from ClickHouse, and this pod writes to " + sinks.kinds())).build();
        }
        if (deviceId.length() > MAX_ID_LENGTH || limit < 1 || limit > MAX_LIMIT) {
            return Response.status(Response.Status.BAD_REQUEST).entity(Map.of("error",
                    "a device_id of at most " + MAX_ID_LENGTH + " characters and a limit from 1 to " + MAX_LIMIT)).build();
        }
        try {
            return Response.ok(Map.of("device_id", deviceId, "store", "clickhouse", "rows", rows.latest(deviceId, limit)))
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable(e);
        } catch (Exception e) {
            return unavailable(e);
        }
    }

    private static Response unavailable(Exception e) {
        return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .entity(Map.of("error", "clickhouse did not answer: " + e)).build();
    }
}
