package io.sensorrollup.ops;

import io.sensorrollup.partition.PartitionTask;
import io.sensorrollup.partition.PartitionTasks;
import io.sensorrollup.source.SourceCursor;
import io.sensorrollup.source.pulsar.SubscriptionBacklog;
import io.sensorrollup.state.PartitionStats;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code GET /api/partitions}: the partitions this pod owns, where each stands and how far behind it is. */
@Path("/api/partitions")
@Produces(MediaType.APPLICATION_JSON)
public class PartitionResource {

    /**
     * @param watermark event time up to which windows are closed (null before the first reading)
     * @param position  the last processed source message
     * @param backlog   messages not acknowledged yet (null before the first sample)
     */
    public record Owned(int partition, Instant watermark, String position, long liveWindows, long outboxRows,
            long stateBytes, Long backlog) {
    }

    private record Sample(byte[] position, PartitionStats stats) {
    }

    private final PartitionTasks partitions;
    private final SourceCursor cursor;
    private final Instance<SubscriptionBacklog> backlog;

    PartitionResource(PartitionTasks partitions, SourceCursor cursor, Instance<SubscriptionBacklog> backlog) {
        this.partitions = partitions;
        this.cursor = cursor;
        this.backlog = backlog;
    }

    @GET
    public List<Owned> owned() {
        List<Owned> out = new ArrayList<>();
        for (int p : partitions.owned()) {
            PartitionTask task = partitions.get(p).orElse(null);
            if (task == null) {
                continue;
            }
            Sample s;
            try {
                s = task.withProcessor(processor -> new Sample(processor.position(), processor.stats()))
                        .toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (Exception restoringOrGone) {
                continue;
            }
            PartitionStats st = s.stats();
            out.add(new Owned(p, st.watermark() == Long.MIN_VALUE ? null : Instant.ofEpochMilli(st.watermark()),
                    s.position() == null ? null : cursor.describe(s.position()), st.liveWindows(), st.outboxRows(),
                    st.sstBytes(), backlog.isResolvable() ? backlog.get().perPartition().get(p) : null));
        }
        return out;
    }
}
