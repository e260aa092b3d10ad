package io.sensorrollup.partition;

import io.sensorrollup.checkpoint.LogFormat;
import io.sensorrollup.checkpoint.RestoredCheckpoint;
import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * One line when a partition is processing again after it was handed to this pod, with the whole time it
 * took (download, opening the state, committing the claim), like Flink's task switching to RUNNING; the
 * checkpointer's own restore line says which manifest and how many bytes came from the store.
 */
public final class RecoveryLog implements TaskEvents {

    private static final System.Logger LOG = System.getLogger(RecoveryLog.class.getName());

    @Override
    public void restored(int partition, Optional<RestoredCheckpoint> from, RestoreTimes took) {
        if (from.isPresent()) {
            RestoredCheckpoint r = from.get();
            LOG.log(Level.INFO, "Partition {0} switched to RUNNING: restored from checkpoint {1} ({2}) in {3}, of which"
                    + " {4} fetching it ({5} downloaded), {6} checking the source, {7} opening the state, {8} claiming it",
                    partition, Long.toString(r.checkpointId()), r.location(), LogFormat.duration(took.total()),
                    LogFormat.duration(took.fetch()), LogFormat.bytes(r.bytesDownloaded()), LogFormat.duration(took.check()),
                    LogFormat.duration(took.open()), LogFormat.duration(took.claim()));
        } else {
            LOG.log(Level.INFO, "Partition {0} switched to RUNNING: no checkpoint, it starts from the subscription''s"
                    + " position (ready in {1})", partition, LogFormat.duration(took.total()));
        }
    }
}
