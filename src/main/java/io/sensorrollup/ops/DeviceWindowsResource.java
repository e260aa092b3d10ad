package io.sensorrollup.ops;

import io.sensorrollup.partition.PartitionTask;
import io.sensorrollup.partition.PartitionTasks;
import io.sensorrollup.source.Reading;
import io.sensorrollup.window.WindowRow;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/devices/{id}/windows}: an interactive query of the windows of one device that are still
 * in state here, with their values so far (open windows have version 0; closed ones wait out their
 * allowed lateness). Asks every owned partition, so it needs no knowledge of the producers' key hashing.
 */
@Path("/api/devices/{id}/windows")
@Produces(MediaType.APPLICATION_JSON)
public class DeviceWindowsResource {

    /** A device's windows and the watermark they are judged by, read in one visit to the partition's queue. */
    private record Live(List<WindowRow> rows, long watermark) {
    }

    private final PartitionTasks partitions;

    DeviceWindowsResource(PartitionTasks partitions) {
        this.partitions = partitions;
    }

    @GET
    public Response windows(@PathParam("id") String deviceId) {
        List<Map<String, Object>> windows = new ArrayList<>();
        for (int p : partitions.owned()) {
            PartitionTask task = partitions.get(p).orElse(null);
            if (task == null) {
                continue;
            }
            Live live;
            try {
                live = task.withProcessor(processor -> new Live(processor.liveWindows(deviceId), processor.watermark()))
                        .toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (Exception restoringOrGone) {
                continue;
            }
            for (WindowRow row : live.rows()) {
                windows.add(json(p, row, live.watermark()));
            }
        }
        if (windows.isEmpty()) {
            return Response.status(Response.Status.NOT_FOUND).entity(Map.of("error", "no window of device " + deviceId
                    + " in state on this pod (partitions " + partitions.owned() + ")")).build();
        }
        return Response.ok(Map.of("device_id", deviceId, "windows", windows)).build();
    }

    /** The row's columns as the sinks name them (CONTRACT §3), plus where and in which state it is. */
    private static Map<String, Object> json(int partition, WindowRow row, long watermark) {
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("partition", partition);
        w.put("state", row.windowEnd() <= watermark ? "closed" : "open");
        w.put("window_size_s", row.windowSizeSeconds());
        w.put("window_start", Instant.ofEpochMilli(row.windowStart()));
        w.put("window_end", Instant.ofEpochMilli(row.windowEnd()));
        w.put("version", row.version());
        w.put("device_type", row.deviceType());
        w.put("customer_id", row.customerId());
        w.put("site_id", row.siteId());
        w.put("message_count", row.messageCount());
        Map<String, Object> metrics = new LinkedHashMap<>();
        for (int m = 0; m < Reading.METRIC_COUNT; m++) {
            if (row.metricCount(m) > 0) {
                metrics.put(Reading.METRICS[m], Map.of("avg", row.metricAvg(m), "min", row.metricMin(m),
                        "max", row.metricMax(m), "count", row.metricCount(m)));
            }
        }
        w.put("metrics", metrics);
        w.put("motion_detected_count", row.motionDetectedCount());
        w.put("first_event_time", Instant.ofEpochMilli(row.firstEventTime()));
        w.put("last_event_time", Instant.ofEpochMilli(row.lastEventTime()));
        return w;
    }
}
