package io.sensorrollup.partition;

import io.sensorrollup.checkpoint.Checkpoints;
import io.sensorrollup.checkpoint.FailingStore;
import io.sensorrollup.checkpoint.FileCheckpointStore;
import io.sensorrollup.partition.CheckpointHistory;
import io.sensorrollup.partition.PartitionTask;
import io.sensorrollup.partition.PartitionTasks;
import static io.sensorrollup.partition.TestPartitions.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API's checkpoint history follows what the partitions really committed or failed, newest first, bounded. */
class CheckpointHistoryTest {

    @TempDir
    Path tmp;

    private final TestPartitions partitions = new TestPartitions();

    @AfterEach
    void close() {
        partitions.close();
    }

    @Test
    void completedAndFailedCheckpointsNewestFirstAndAtMostTheConfiguredNumber() {
        FailingStore failing = new FailingStore(new FileCheckpointStore(tmp.resolve("store")));
        Checkpoints store = new Checkpoints(failing, 3, Duration.ofMinutes(10), Clock.systemUTC());
        CheckpointHistory history = new CheckpointHistory(3, Instant::now);
        PartitionTasks tasks = partitions.tasks(store, tmp.resolve("pod"), Long.MAX_VALUE, history, () -> {
        });
        PartitionTask task = null;
        for (int i = 0; i < 4; i++) {
            tasks.accept(0, batch(1 + i * 50, 50 + i * 50, 1, 0)).toCompletableFuture().join();
            task = tasks.get(0).orElseThrow();
            task.checkpoint().toCompletableFuture().join();
        }
        tasks.accept(0, batch(201, 250, 1, 0)).toCompletableFuture().join();
        failing.failNextPutIfAbsent();
        try {
            task.checkpoint().toCompletableFuture().join();
        } catch (CompletionException expected) {
            // the manifest did not commit
        }

        List<CheckpointHistory.Attempt> attempts = history.attempts().get(0);
        assertEquals(3, attempts.size(), "bounded");
        assertEquals(CheckpointHistory.Status.FAILED, attempts.get(0).status());
        assertEquals(CheckpointHistory.Status.COMPLETED, attempts.get(1).status());
        // an empty store has nothing to restore, so no claim: the four checkpoints are 1..4
        assertEquals(List.of(4L, 3L), attempts.subList(1, 3).stream().map(CheckpointHistory.Attempt::id).toList());
        assertTrue(attempts.get(1).bytesUploaded() > 0);
        assertTrue(attempts.get(1).location().endsWith("chk-4"), attempts.get(1).location());
        tasks.dropAll().join();
    }
}
