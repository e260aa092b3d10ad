package io.sensorrollup.bench;

import io.sensorrollup.checkpoint.Checkpoints;
import io.sensorrollup.checkpoint.PartitionCheckpointer;
import io.sensorrollup.checkpoint.RestoredCheckpoint;
import io.sensorrollup.source.RawBatch;
import io.sensorrollup.source.simulator.SimulatedFleet;
import io.sensorrollup.state.EngineConfig;
import io.sensorrollup.state.PartitionProcessor;
import io.sensorrollup.state.Snapshot;
import io.sensorrollup.state.StateResources;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Restores one partition from the checkpoint store into an empty directory, in the order of the service's
 * RestoreAndClaim: the newest checkpoint downloaded by a new {@link PartitionCheckpointer} (as a pod that never
 * owned the partition has), opened with {@link PartitionProcessor#restore}, claimed (committed again as the next
 * checkpoint), then its first reading processed.
 */
final class ScaleRestore {

    private ScaleRestore() {
    }

    /** @return the times and sizes as RESULT pairs */
    static Map<String, String> run(Checkpoints checkpoints, int partition, EngineConfig config, StateResources resources,
            Path emptyDir, long eventMillis) throws Exception {
        Path local = emptyDir.resolve("partition-" + partition);
        Files.createDirectories(local);
        long t0 = System.nanoTime();
        PartitionCheckpointer checkpointer = checkpoints.partition(partition);
        RestoredCheckpoint restored = checkpointer.restore(local.resolve("checkpoint"))
                .orElseThrow(() -> new IllegalStateException("partition " + partition + " has no checkpoint"));
        long t1 = System.nanoTime();
        try (PartitionProcessor processor = PartitionProcessor.restore(local.resolve("checkpoint"), local.resolve("db"),
                config, resources, () -> eventMillis)) {
            long t2 = System.nanoTime();
            Snapshot claim = processor.snapshot(local.resolve("claim"));
            checkpointer.checkpoint(claim.dir(), claim.position(), claim.watermark());
            long t3 = System.nanoTime();
            RawBatch first = new RawBatch(1);
            SimulatedFleet fleet = new SimulatedFleet(SimulatedFleet.Options.of(1));
            first.add(fleet.next(eventMillis).payload(), ByteBuffer.allocate(8).putLong(Long.MAX_VALUE).array(), eventMillis);
            int processed = processor.process(first).messages();
            long t4 = System.nanoTime();
            if (processed != 1) {
                throw new IllegalStateException("the restored partition processed " + processed + " readings, not 1");
            }
            System.out.printf(Locale.ROOT, "restore of partition %d from %s with nothing local: download %.2f s"
                            + " (%d files, %.1f MB), open %.2f s, claim (snapshot + commit) %.2f s, first reading %.3f s;"
                            + " to the first reading %.2f s, %.2f s without the claim%n", partition, restored.location(),
                    (t1 - t0) / 1e9, restored.filesDownloaded(), restored.bytesDownloaded() / (double) (1 << 20),
                    (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9, (t4 - t0) / 1e9, (t4 - t3 + t2 - t0) / 1e9);
            Map<String, String> result = new LinkedHashMap<>();
            result.put("restore_download_s", seconds(t1 - t0));
            result.put("restore_mb", String.format(Locale.ROOT, "%.1f", restored.bytesDownloaded() / (double) (1 << 20)));
            result.put("restore_open_s", seconds(t2 - t1));
            result.put("restore_claim_s", seconds(t3 - t2));
            result.put("restore_first_reading_s", seconds(t4 - t3));
            result.put("restore_total_s", seconds(t4 - t0));
            return result;
        }
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e9);
    }
}
