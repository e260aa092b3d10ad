package io.sensorrollup.it;

import io.sensorrollup.checkpoint.Checkpoints;
import io.sensorrollup.checkpoint.PartitionCheckpointer;
import io.sensorrollup.checkpoint.RestoredCheckpoint;
import io.sensorrollup.checkpoint.s3.S3CheckpointStore;
import io.sensorrollup.state.EngineConfig;
import io.sensorrollup.state.OutboxEntry;
import io.sensorrollup.state.PartitionProcessor;
import io.sensorrollup.state.StateResources;
import io.sensorrollup.window.WindowRow;
import io.sensorrollup.window.WindowSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The rows a service committed, read the way a new owner would: restore each partition's newest
 * checkpoint from S3 and read its outbox (nothing drains the outbox without a sink, so it holds
 * every row ever emitted).
 */
final class CheckpointedRows {

    private CheckpointedRows() {
    }

    static List<WindowRow> read(S3Client s3, String bucket, String prefix, int partitions, Path scratch) throws IOException {
        Checkpoints checkpoints = new Checkpoints(new S3CheckpointStore(s3, bucket, prefix));
        List<WindowRow> rows = new ArrayList<>();
        try (StateResources resources = StateResources.create(16 << 20, 16 << 20)) {
            for (int p = 0; p < partitions; p++) {
                PartitionCheckpointer partition = checkpoints.partition(p);
                Path dir = Files.createTempDirectory(scratch, "partition-" + p + "-");
                Optional<RestoredCheckpoint> restored = partition.restore(dir.resolve("checkpoint"));
                if (restored.isEmpty()) {
                    continue;
                }
                try (PartitionProcessor processor = PartitionProcessor.restore(dir.resolve("checkpoint"), dir.resolve("db"),
                        EngineConfig.defaults(WindowSpec.parse("1m")), resources, System::currentTimeMillis)) {
                    processor.readOutbox(-1, Integer.MAX_VALUE).stream().map(OutboxEntry::row).forEach(rows::add);
                }
            }
        }
        return rows;
    }
}
