package io.sensorrollup.checkpoint;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;

/**
 * One line when a partition is processing again after it was handed to this pod, with the whole time it
 * took (download, opening the state, committing the claim), like Flink's task switching to RUNNING; the
 * checkpointer's own restore line says which manifest and how many bytes came from the store.
 */
public final class RecoveryLog implements PartitionEvents {

    private static final System.Logger LOG = System.getLogger(RecoveryLog.class.getName());

    @Override
    public void restored(int partition, Optional<RestoredCheckpoint> from, Duration took) {
        if (from.isPresent()) {
            RestoredCheckpoint r = from.get();
            LOG.log(Level.INFO, "Partition {0} switched to RUNNING {1} after its restore from checkpoint {2} ({3},"
                    + " {4} of it downloading {5})", partition, LogFormat.duration(took), r.checkpointId(), r.location(),
                    LogFormat.duration(r.duration()), LogFormat.bytes(r.bytesDownloaded()));
        } else {
            LOG.log(Level.INFO, "Partition {0} switched to RUNNING {1} after assignment: no checkpoint, it starts from"
                    + " the subscription''s position", partition, LogFormat.duration(took));
        }
    }
}
