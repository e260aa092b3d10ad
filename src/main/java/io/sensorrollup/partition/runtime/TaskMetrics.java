package io.sensorrollup.partition.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.sensorrollup.checkpoint.CompletedCheckpoint;
import io.sensorrollup.partition.RestoreTimes;
import io.sensorrollup.partition.TaskEvents;
import io.sensorrollup.checkpoint.RestoredCheckpoint;
import io.sensorrollup.state.BatchResult;
import io.sensorrollup.state.Rejected;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters and timers of what the partitions do (names as in the Grafana dashboard, Prometheus style
 * once exported: {@code rollup_readings_received_total}, {@code rollup_checkpoint_duration_seconds}, …).
 */
@ApplicationScoped
public class TaskMetrics implements TaskEvents {

    private final MeterRegistry registry;
    private final Map<Integer, PerPartition> partitions = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();

    TaskMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void processed(int partition, BatchResult result) {
        PerPartition m = of(partition);
        m.received.increment(result.messages());
        if (result.emitted() > 0) {
            m.closed.increment(result.emitted());
        }
        if (!result.rejected().isEmpty()) {
            m.deadLetters.increment(result.rejected().size());
            for (Rejected r : result.rejected()) {
                rejected.computeIfAbsent(partition + "/" + r.reason(), k -> Counter.builder("rollup.readings.rejected")
                        .description("Readings not aggregated, by reason (decoder reasons, and late)")
                        .tags(Tags.of("partition", Integer.toString(partition), "reason", r.reason()))
                        .register(registry)).increment();
            }
        }
    }

    @Override
    public void checkpointCompleted(int partition, CompletedCheckpoint c) {
        PerPartition m = of(partition);
        m.checkpointDuration.record(c.duration());
        m.uploadedBytes.increment(c.bytesUploaded());
        m.filesReused.increment(c.filesReused());
        m.lastCheckpointId.set(c.checkpointId());
        m.lastCheckpointMillis.set(c.manifest().createdAt().toEpochMilli());
    }

    @Override
    public void checkpointFailed(int partition, Throwable error, Duration took) {
        of(partition).checkpointFailures.increment();
    }

    @Override
    public void replayed(int partition, int messages) {
        of(partition).replayed.increment(messages);
    }

    @Override
    public void restoreWaiting(int partition, String reason) {
        of(partition).restoreRetries.increment();
    }

    @Override
    public void redeliveryRequested(int partition) {
        of(partition).redeliveries.increment();
    }

    @Override
    public void restored(int partition, Optional<RestoredCheckpoint> from, RestoreTimes took) {
        PerPartition m = of(partition);
        m.restoreDuration.record(took.total());
        from.ifPresent(r -> {
            m.downloadedBytes.increment(r.bytesDownloaded());
            // the restored checkpoint is the newest durable state: staleness counts from it, not from this restart
            m.lastCheckpointMillis.set(r.manifest().createdAt().toEpochMilli());
        });
    }

    private PerPartition of(int partition) {
        return partitions.computeIfAbsent(partition, p -> new PerPartition(registry, Tags.of("partition", Integer.toString(p))));
    }

    private static final class PerPartition {
        private static final long NONE = Long.MIN_VALUE;

        final Counter received;
        final Counter replayed;
        final Counter closed;
        final Counter deadLetters;
        final Timer checkpointDuration;
        final Counter uploadedBytes;
        final Counter filesReused;
        final Counter checkpointFailures;
        final AtomicLong lastCheckpointId = new AtomicLong(-1);
        final AtomicLong lastCheckpointMillis = new AtomicLong(NONE);
        final Timer restoreDuration;
        final Counter downloadedBytes;
        final Counter restoreRetries;
        final Counter redeliveries;

        PerPartition(MeterRegistry registry, Tags tags) {
            received = counter(registry, tags, "rollup.readings.received", "Readings taken from the source");
            replayed = counter(registry, tags, "rollup.readings.replayed",
                    "Messages delivered again that the restored state already covers, dropped");
            closed = counter(registry, tags, "rollup.windows.closed",
                    "Rows emitted: closed windows and late re-emissions");
            deadLetters = counter(registry, tags, "rollup.dead.letters", "Messages sent to the dead-letter topic");
            checkpointDuration = Timer.builder("rollup.checkpoint.duration").tags(tags).publishPercentileHistogram()
                    .description("Upload, manifest and acknowledgement of one checkpoint").register(registry);
            uploadedBytes = counter(registry, tags, "rollup.checkpoint.uploaded.bytes",
                    "Bytes checkpoints uploaded (new SST and metadata files)");
            filesReused = counter(registry, tags, "rollup.checkpoint.files.reused",
                    "SST files checkpoints found already stored");
            checkpointFailures = counter(registry, tags, "rollup.checkpoint.failures",
                    "Checkpoints that did not commit");
            registry.gauge("rollup.checkpoint.last.completed.id", tags, lastCheckpointId);
            Gauge.builder("rollup.checkpoint.last.completed.timestamp.seconds", lastCheckpointMillis,
                    millis -> millis.get() == NONE ? Double.NaN : millis.get() / 1000.0).tags(tags)
                    .description("When the partition's newest checkpoint completed or restored here was taken,"
                            + " in seconds since the epoch (NaN before either)").register(registry);
            restoreDuration = Timer.builder("rollup.restore.duration").tags(tags)
                    .description("Restore of the partition's state when it was assigned here").register(registry);
            downloadedBytes = counter(registry, tags, "rollup.restore.downloaded.bytes", "Bytes restores downloaded");
            restoreRetries = counter(registry, tags, "rollup.restore.retries",
                    "Restore attempts that could not finish (checkpoint store or source down, or a state"
                            + " behind the acknowledged position) and are tried again");
            redeliveries = counter(registry, tags, "rollup.source.redeliveries",
                    "Times the delivery of a restored partition did not go on right after its restored"
                            + " position, and the source was asked to deliver it again");
        }

        private static Counter counter(MeterRegistry registry, Tags tags, String name, String description) {
            return Counter.builder(name).tags(tags).description(description).register(registry);
        }
    }
}
