package io.sensorrollup.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorrollup.source.RawBatch;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint protocol of owned partitions, on the local file store: process, checkpoint, acknowledge, restore. */
class PartitionTasksTest {

    @TempDir
    Path tmp;

    private final TestPartitions partitions = new TestPartitions();
    private final Map<Integer, Long> acked = partitions.acked;
    private final List<String> deadLetters = partitions.deadLetters;

    @AfterEach
    void close() {
        partitions.close();
    }

    @Test
    void checkpointAcknowledgesOnlyWhatTheManifestCoversAndRestoreSkipsIt() throws Exception {
        Checkpoints store = TestPartitions.fileStore(tmp.resolve("store"));
        PartitionTasks first = tasks(store, tmp.resolve("pod-a"));
        first.accept(0, batch(1, 100, 0)).toCompletableFuture().join();
        Optional<CompletedCheckpoint> completed = first.get(0).orElseThrow().checkpoint().toCompletableFuture().join();
        assertTrue(completed.isPresent());
        assertEquals(100L, acked.get(0), "acknowledged through the last message the checkpoint covers");
        assertEquals(List.of("not-json"), deadLetters);

        first.accept(0, batch(101, 150, 0)).toCompletableFuture().join();
        first.dropAll().join(); // a crash: messages 101..150 are not in any checkpoint

        PartitionTasks second = tasks(store, tmp.resolve("pod-b"));
        // Pulsar redelivers from its cursor, which may lag the manifest: 90..150
        second.accept(0, batch(90, 150, 10_000)).toCompletableFuture().join();
        List<Long> closedCounts = TestPartitions.closedCounts(second.get(0).orElseThrow());
        // [0 s, 60 s): 1..59 less the malformed 7; [60 s, 120 s): 60..119, with 90..100 replayed but counted once
        assertEquals(List.of(58L, 60L), closedCounts);
        second.checkpointAll().join();
        assertEquals(150L, acked.get(0));
        second.dropAll().join();
    }

    @Test
    void heardOfCountsPartitionsGivenToThisPodAndToOthers() throws Exception {
        PartitionTasks tasks = tasks(TestPartitions.fileStore(tmp.resolve("store")), tmp.resolve("pod-a"));
        tasks.assigned(0);
        tasks.revoked(1); // Pulsar names another consumer active for it
        tasks.accept(2, batch(1, 10, 0)).toCompletableFuture().join(); // a message first: ownership too
        assertEquals(java.util.Set.of(0, 1, 2), tasks.heardOf());
        assertEquals(java.util.Set.of(0, 2), tasks.owned());
        tasks.revoked(0);
        assertEquals(java.util.Set.of(0, 1, 2), tasks.heardOf(), "a partition moved away is still one Pulsar has told us about");
        tasks.dropAll().join();
    }

    @Test
    void newOwnerClaimsThePartitionSoThePreviousOwnersLateCheckpointConflictsThere() throws Exception {
        Checkpoints store = TestPartitions.fileStore(tmp.resolve("store"));
        java.util.concurrent.atomic.AtomicInteger previousOwnerLost = new java.util.concurrent.atomic.AtomicInteger();
        PartitionTasks previous = tasks(store, tmp.resolve("pod-a"), previousOwnerLost::incrementAndGet);
        previous.accept(0, batch(1, 100, 0)).toCompletableFuture().join();
        previous.get(0).orElseThrow().checkpoint().toCompletableFuture().join();

        // Pulsar moves the partition; the old pod has not heard yet and checkpoints once more
        PartitionTasks next = tasks(store, tmp.resolve("pod-b"));
        next.assigned(0);
        next.get(0).orElseThrow().restored().toCompletableFuture().join();
        previous.accept(0, batch(101, 120, 0)).toCompletableFuture().join();
        var late = previous.get(0).orElseThrow().checkpoint().toCompletableFuture();
        assertTrue(waitFailed(late, CheckpointConflictException.class), "the previous owner's late checkpoint must not commit");
        assertEquals(1, previousOwnerLost.get());
        assertEquals(100L, acked.get(0), "nothing past the claimed checkpoint acknowledged");

        next.accept(0, batch(90, 150, 10_000)).toCompletableFuture().join();
        assertTrue(next.get(0).orElseThrow().checkpoint().toCompletableFuture().join().isPresent());
        assertEquals(150L, acked.get(0));
        next.dropAll().join();
    }

    /**
     * Seen in dev/chaos (seed 1): a partition's first messages reached the pod that Pulsar had just made its owner
     * before the event that said so; they were dropped as another pod's, the next messages were taken, and the
     * checkpoint acknowledged past the dropped ones.
     */
    @Test
    void aPartitionHandedBackStartsFromARewindAndSkipsWhatTheDeliveryBeforeStillBrings() throws Exception {
        Checkpoints store = TestPartitions.fileStore(tmp.resolve("store"));
        PartitionTasks tasks = tasks(store, tmp.resolve("pod-a"));
        tasks.assigned(0);
        tasks.accept(0, batch(1, 5, 0)).toCompletableFuture().join();
        tasks.get(0).orElseThrow().checkpoint().toCompletableFuture().join();
        assertEquals(List.of(), partitions.rewound, "a partition assigned the first time is delivered from the cursor");

        tasks.revoked(0);
        tasks.accept(0, batch(6, 50, 0)).toCompletableFuture().join(); // overtook the event: dropped
        tasks.assigned(0);
        assertEquals(List.of(0), partitions.rewound, "handed back: delivered again from the acknowledged position");
        tasks.accept(0, batch(51, 100, 0)).toCompletableFuture().join(); // the delivery before the rewind: skipped
        tasks.accept(0, batch(6, 100, 0).generation(1)).toCompletableFuture().join(); // the rewound delivery
        List<Long> closedCounts = TestPartitions.closedCounts(tasks.get(0).orElseThrow());
        assertEquals(List.of(58L), closedCounts, "[0 s, 60 s): 1..59 less the malformed 7, each once");
        tasks.checkpointAll().join();
        assertEquals(100L, acked.get(0));
        tasks.dropAll().join();
    }

    /** PartitionRewindIT saw it: after a rewind the broker may deliver 15..29 only in the old epoch. */
    @Test
    void aLeftOverBeyondWhatWasProcessedRewindsOnceMore() throws Exception {
        PartitionTasks tasks = tasks(TestPartitions.fileStore(tmp.resolve("store")), tmp.resolve("pod-a"));
        tasks.assigned(0);
        tasks.accept(0, batch(1, 5, 0)).toCompletableFuture().join();
        tasks.get(0).orElseThrow().checkpoint().toCompletableFuture().join();
        tasks.revoked(0);
        tasks.assigned(0); // rewound: generation 1
        tasks.accept(0, batch(6, 14, 0).generation(1)).toCompletableFuture().join();
        tasks.accept(0, batch(1, 4, 0)).toCompletableFuture().join(); // a left-over behind: harmless
        TestPartitions.closedCounts(tasks.get(0).orElseThrow());
        assertEquals(List.of(0), partitions.rewound);
        tasks.accept(0, batch(15, 29, 0)).toCompletableFuture().join(); // only in the old epoch
        TestPartitions.closedCounts(tasks.get(0).orElseThrow());
        assertEquals(List.of(0, 0), partitions.rewound, "rewound once more");
        tasks.accept(0, batch(6, 100, 0).generation(2)).toCompletableFuture().join();
        assertEquals(List.of(58L), TestPartitions.closedCounts(tasks.get(0).orElseThrow()));
        tasks.dropAll().join();
    }

    @Test
    void aPartitionWhoseProcessingFailedTakesNoMoreMessagesInThisProcess() throws Exception {
        Checkpoints store = TestPartitions.fileStore(tmp.resolve("store"));
        java.util.concurrent.atomic.AtomicInteger lost = new java.util.concurrent.atomic.AtomicInteger();
        PartitionTasks tasks = tasks(store, tmp.resolve("pod-a"), lost::incrementAndGet);
        tasks.accept(0, batch(1, 5, 0)).toCompletableFuture().join();
        tasks.get(0).orElseThrow().checkpoint().toCompletableFuture().join();
        assertEquals(5L, acked.get(0));

        partitions.processingFails = true;
        tasks.accept(0, batch(6, 50, 0)); // message 7 is malformed: its dead letter fails the batch
        long deadline = System.currentTimeMillis() + 10_000;
        while (lost.get() == 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(1, lost.get(), "the failed partition is reported");
        partitions.processingFails = false;

        // messages 6..50 were handed to the failed task and are gone from this process: a new task here would
        // restore through 5 and go on at 51
        tasks.accept(0, batch(51, 100, 0)).toCompletableFuture().join();
        tasks.checkpointAll().join();
        assertEquals(5L, acked.get(0), "nothing acknowledged past the failed partition's last checkpoint");
        assertTrue(tasks.get(0).isEmpty());
        tasks.dropAll().join();
    }

    @Test
    void crashBetweenUploadsAndManifestReplaysFromThePreviousCheckpoint() throws Exception {
        FailingStore failing = new FailingStore(new FileCheckpointStore(tmp.resolve("store")));
        Checkpoints store = new Checkpoints(failing, 3, Duration.ofMinutes(10), Clock.systemUTC());
        PartitionTasks crashed = tasks(store, tmp.resolve("pod-a"));
        crashed.accept(0, batch(1, 100, 0)).toCompletableFuture().join();
        crashed.get(0).orElseThrow().checkpoint().toCompletableFuture().join();
        crashed.accept(0, batch(101, 150, 0)).toCompletableFuture().join();
        failing.failNextPutIfAbsent();
        assertTrue(waitFailed(crashed.get(0).orElseThrow().checkpoint().toCompletableFuture(), java.io.IOException.class));
        crashed.dropAll().join();
        assertEquals(100L, acked.get(0), "an uncommitted checkpoint acknowledges nothing");

        assertRecoveredFrom(store, 101);
    }

    @Test
    void crashBetweenManifestAndAcknowledgementSkipsWhatTheManifestCovers() throws Exception {
        Checkpoints store = TestPartitions.fileStore(tmp.resolve("store"));
        PartitionTasks crashed = tasks(store, tmp.resolve("pod-a"));
        crashed.accept(0, batch(1, 100, 0)).toCompletableFuture().join();
        crashed.get(0).orElseThrow().checkpoint().toCompletableFuture().join();
        crashed.accept(0, batch(101, 150, 0)).toCompletableFuture().join();
        partitions.ackLost = true;
        crashed.get(0).orElseThrow().checkpoint().toCompletableFuture().exceptionally(e -> Optional.empty()).join();
        crashed.dropAll().join();
        partitions.ackLost = false;
        assertEquals(100L, acked.get(0), "the cursor lags the manifest by one acknowledgement");

        assertRecoveredFrom(store, 101);
    }

    /** A new pod restores, Pulsar redelivers from the cursor: windows [0 s, 60 s) and [60 s, 120 s) counted exactly once. */
    private void assertRecoveredFrom(Checkpoints store, long redeliveredFrom) {
        PartitionTasks recovered = tasks(store, tmp.resolve("pod-b"));
        recovered.accept(0, batch(redeliveredFrom, 150, 10_000)).toCompletableFuture().join();
        List<Long> closedCounts = TestPartitions.closedCounts(recovered.get(0).orElseThrow());
        assertEquals(List.of(58L, 60L), closedCounts);
        recovered.get(0).orElseThrow().checkpoint().toCompletableFuture().join();
        assertEquals(150L, acked.get(0));
        recovered.dropAll().join();
    }

    private static boolean waitFailed(CompletableFuture<?> future, Class<? extends Throwable> cause) {
        try {
            future.join();
            return false;
        } catch (java.util.concurrent.CompletionException expected) {
            return cause.isInstance(expected.getCause());
        }
    }

    private PartitionTasks tasks(Checkpoints store, Path stateDir) {
        return partitions.tasks(store, stateDir);
    }

    private PartitionTasks tasks(Checkpoints store, Path stateDir, Runnable onStateLost) {
        return partitions.tasks(store, stateDir, onStateLost);
    }

    /** Messages first..last of one device, one per second of event time; message 7 is malformed. */
    private static RawBatch batch(long first, long last, long arrivalOffset) {
        return TestPartitions.batch(first, last, 1, arrivalOffset);
    }
}
