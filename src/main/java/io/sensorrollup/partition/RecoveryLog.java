package io.sensorrollup.partition;

import io.sensorrollup.checkpoint.LogFormat;
import io.sensorrollup.checkpoint.Manifest;
import io.sensorrollup.checkpoint.RestoredCheckpoint;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One line when a partition is processing again after it was handed to this pod, like Flink's task switching to
 * RUNNING: the whole time it took (download, checking the source, opening the state), and whom it was taken
 * over from, with how long it stood still at most: since the previous owner's checkpoint that this pod restored
 * (after a graceful hand-over that is the final one, taken as the previous owner stopped processing). The same
 * words stay in readiness while the partition runs here, for the operator who asks after an incident. The claim,
 * which fences the previous owner, uploads while the partition runs: a second line says when it landed.
 */
public final class RecoveryLog implements TaskEvents {

    private static final System.Logger LOG = System.getLogger(RecoveryLog.class.getName());

    private final String pod;
    private final LongSupplier wallClock;
    private final Map<Integer, String> running = new ConcurrentHashMap<>();

    /** @param pod this pod's name, as the checkpoints it commits carry it */
    public RecoveryLog(String pod, LongSupplier wallClock) {
        this.pod = pod;
        this.wallClock = wallClock;
    }

    @Override
    public void restored(int partition, Optional<RestoredCheckpoint> from, RestoreTimes took) {
        if (from.isPresent()) {
            RestoredCheckpoint r = from.get();
            String origin = origin(r.manifest());
            running.put(partition, "running on " + pod + " since " + Instant.ofEpochMilli(wallClock.getAsLong()) + ", " + origin);
            LOG.log(Level.INFO, "Partition {0} switched to RUNNING: restored from checkpoint {1} ({2}) in {3}, of which"
                    + " {4} fetching it ({5} downloaded), {6} checking the source, {7} opening the state, and claiming it"
                    + " meanwhile; on {8}, {9}",
                    partition, Long.toString(r.checkpointId()), r.location(), LogFormat.duration(took.total()),
                    LogFormat.duration(took.fetch()), LogFormat.bytes(r.bytesDownloaded()), LogFormat.duration(took.check()),
                    LogFormat.duration(took.open()), pod, origin);
        } else {
            running.put(partition, "running on " + pod + " since " + Instant.ofEpochMilli(wallClock.getAsLong())
                    + ", from the subscription's position (no checkpoint)");
            LOG.log(Level.INFO, "Partition {0} switched to RUNNING: no checkpoint, it starts from the subscription''s"
                    + " position (ready in {1})", partition, LogFormat.duration(took.total()));
        }
    }

    @Override
    public void claimed(int partition, long checkpointId, Duration took) {
        String claim = "claimed as checkpoint " + checkpointId + " in " + LogFormat.duration(took) + ", while running";
        running.computeIfPresent(partition, (p, how) -> how + "; " + claim);
        LOG.log(Level.INFO, "Partition {0} {1}: its checkpoints and acknowledgements go on from here", partition, claim);
    }

    @Override
    public void dropped(int partition) {
        running.remove(partition);
    }

    /** Per partition running here, how it came to run here; for readiness. */
    public Map<Integer, String> running() {
        return Map.copyOf(running);
    }

    private String origin(Manifest restored) {
        Duration since = Duration.ofMillis(Math.max(0, wallClock.getAsLong() - restored.createdAt().toEpochMilli()));
        String checkpoint = "checkpoint " + restored.checkpointId() + " of " + restored.createdAt();
        String whose = restored.owner().isEmpty() ? "from " + checkpoint + " (its writer unnamed: an older version)"
                : restored.owner().equals(pod) ? "back from its own " + (restored.handOver() ? "final " : "") + checkpoint
                : restored.handOver() ? "handed over by " + restored.owner() + " with its final " + checkpoint
                : "taken over from " + restored.owner() + " at its " + checkpoint;
        // the final checkpoint is taken as its pod stops processing; after any other, the pod may have gone on
        return whose + ", " + LogFormat.duration(since) + (restored.handOver() ? " before: it stood still that long"
                : " before: it stood still for at most that long");
    }
}
