package io.sensorrollup.partition;

import io.sensorrollup.checkpoint.Checkpoints;
import io.sensorrollup.checkpoint.FileCheckpointStore;
import io.sensorrollup.checkpoint.GatedStore;
import io.sensorrollup.checkpoint.RestoredCheckpoint;
import io.sensorrollup.partition.TaskEvents;
import io.sensorrollup.partition.PartitionTask;
import io.sensorrollup.partition.PartitionTasks;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorrollup.source.RawBatch;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The faults of a partition's life on one pod (issue 12): stalls and held-back sources, a stop in the middle of
 * a checkpoint, a partition that moves while it restores or comes back at once, a checkpoint store that is
 * down, a state behind the acknowledged position, and a dead letter that is lost.
 */
class PartitionLifecycleTest {

    @TempDir
    Path tmp;

    private final TestPartitions partitions = new TestPartitions();
    private final AtomicInteger stateLost = new AtomicInteger();
    private GatedStore gated;

    @AfterEach
    void close() {
        if (gated != null) {
            gated.manifests().open();
            gated.listings().open();
        }
        partitions.close();
    }

    /** Item 1: a paused or held-back source is never idle, however long nothing arrives. */
    @Test
    void aSilentPartitionTurnsIdleOnlyOnceItIsCaughtUp() {
        PartitionTasks tasks = tasks(store(), "pod-a");
        tasks.accept(0, batch(1, 100)).toCompletableFuture().join();
        PartitionTask task = tasks.get(0).orElseThrow();
        partitions.published.put(0, 200L); // the broker holds 101..200: the source is stalled, not silent
        partitions.wallClock.addAndGet(Duration.ofMinutes(10).toMillis());

        tasks.advanceIdleAll();
        roundTrips(task);
        assertEquals(TestPartitions.EPOCH + 95_000, watermark(task), "behind the source: the watermark stays at 100 s - 5 s");
        assertEquals(1, outboxRows(task), "only [0 s, 60 s) closed, by the readings themselves");

        partitions.published.put(0, 100L); // everything read, and silent for the idle timeout
        confirmCaughtUpForTheIdleTimeout(tasks, task);
        await().atMost(Duration.ofSeconds(10)).until(() -> outboxRows(task) == 2);
        assertTrue(watermark(task) > TestPartitions.EPOCH + 120_000);
        tasks.dropAll().join();
    }

    /**
     * dev/chaos, seed 8104: the broker hung for 20 s (SIGSTOP), nothing arrived, and the first answer after it
     * said "caught up": the watermark moved by those 20 s, and the readings the fleet's producers had held
     * meanwhile, stored a moment later, were late. Caught up must be confirmed over the idle timeout.
     */
    @Test
    void aHungBrokersSilenceIsNotIdle() {
        PartitionTasks tasks = tasks(store(), "pod-a");
        tasks.accept(0, batch(1, 100)).toCompletableFuture().join();
        PartitionTask task = tasks.get(0).orElseThrow();
        partitions.published.put(0, 100L);
        partitions.brokerHung = true;
        partitions.wallClock.addAndGet(Duration.ofSeconds(45).toMillis());
        tasks.advanceIdleAll();
        roundTrips(task);
        assertEquals(TestPartitions.EPOCH + 95_000, watermark(task), "no answer: not idle");

        partitions.brokerHung = false; // it answers again: caught up, for now
        tasks.advanceIdleAll();
        roundTrips(task);
        assertEquals(TestPartitions.EPOCH + 95_000, watermark(task), "caught up once is not caught up for the idle timeout");

        tasks.accept(0, batch(101, 130)).toCompletableFuture().join(); // what the producers held during the hang
        roundTrips(task);
        assertEquals(TestPartitions.EPOCH + 125_000, watermark(task));
        assertEquals(0, partitions.deadLetters.stream().filter("late"::equals).count(), "none of it late");
        tasks.dropAll().join();
    }

    /** Asks once, lets the idle timeout pass, asks again: the second answer confirms the first. */
    private void confirmCaughtUpForTheIdleTimeout(PartitionTasks tasks, PartitionTask task) {
        tasks.advanceIdleAll();
        roundTrips(task);
        partitions.wallClock.addAndGet(Duration.ofSeconds(30).toMillis());
        tasks.advanceIdleAll();
    }

    /** Item 5: SIGTERM while a checkpoint uploads: the final one waits for it, then covers everything processed. */
    @Test
    void theFinalCheckpointWaitsForTheOneInFlightAndAcknowledgesEverythingProcessed() throws Exception {
        PartitionTasks tasks = tasks(gatedStore(), "pod-a");
        tasks.accept(0, batch(1, 100)).toCompletableFuture().join();
        await().until(() -> tasks.get(0).orElseThrow().restored().toCompletableFuture().isDone());
        gated.manifests().close();
        CompletableFuture<?> inFlight = tasks.get(0).orElseThrow().checkpoint().toCompletableFuture();
        gated.manifests().awaitArrival();
        tasks.accept(0, batch(101, 150)).toCompletableFuture().join();

        CompletableFuture<Void> last = tasks.finalCheckpoint();
        Thread.sleep(300);
        assertFalse(last.isDone(), "the final checkpoint must not end while the one in flight still uploads");
        assertTrue(tasks.accept(0, batch(151, 160)).toCompletableFuture().isDone(), "no batch taken after the stop");
        gated.manifests().open();
        last.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(inFlight.isDone());
        assertEquals(150L, partitions.acked.get(0), "acknowledged through the last processed message");
        tasks.dropAll().join();
    }

    /**
     * Issue 16: a hand-over is claimed like any checkpoint. Its writer commits nothing after it, but a pod that
     * restored it since may still have a checkpoint in flight when the partition moves on (a rolling restart gives
     * the partition back to its returning pod): run without a claim, the next owner later finds its checkpoint id
     * taken while it still consumes the partition, and the pod restarts (seen in dev/bench failover's roll).
     */
    @Test
    void aHandOverRestoredByOnePodThenAnotherIsClaimedSoTheFirstPodsCheckpointInFlightFencesNobody() throws Exception {
        Checkpoints store = gatedStore();
        PartitionTasks first = tasks(store, "pod-a");
        first.accept(0, batch(1, 100)).toCompletableFuture().join();
        await().until(() -> first.get(0).orElseThrow().restored().toCompletableFuture().isDone());
        first.finalCheckpoint().get(20, java.util.concurrent.TimeUnit.SECONDS);
        first.dropAll().join();

        PartitionTasks second = tasks(store, "pod-b");
        second.accept(0, batch(101, 150)).toCompletableFuture().join();
        second.get(0).orElseThrow().claimed().toCompletableFuture().get(20, TimeUnit.SECONDS);
        roundTrips(second.get(0).orElseThrow());
        gated.manifests().close();
        CompletableFuture<?> inFlight = second.get(0).orElseThrow().checkpoint().toCompletableFuture();
        gated.manifests().awaitArrival();
        second.revoked(0);

        PartitionTasks third = tasks(store, "pod-c");
        third.assigned(0);
        Thread.sleep(300); // the restore reaches its claim, held at the gate as the second pod's checkpoint is
        gated.manifests().open();
        inFlight.handle((ok, e) -> null).get(20, java.util.concurrent.TimeUnit.SECONDS);
        // whichever of the two manifests the gate let through first: a claim that lost was replaced by a task that
        // restored the second pod's checkpoint (between the two the partition has no task for a moment)
        await().atMost(Duration.ofSeconds(20))
                .until(() -> third.get(0).map(t -> t.claimed().toCompletableFuture().isDone()).orElse(false));
        third.accept(0, batch(101, 160)).toCompletableFuture().join(); // the source delivers from the acknowledged 100
        third.get(0).orElseThrow().checkpoint().toCompletableFuture().get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(0, stateLost.get(), "the third pod's checkpoint found its id taken while it ran the partition");
        third.dropAll().join();
        second.dropAll().join();
    }

    /**
     * Issue 16: a new owner takes readings as soon as its state is open, while its claim uploads; what commits waits
     * for the claim. Here the previous owner died between its manifest and its acknowledgement, so the source
     * delivers from the start: nothing of the partition is checkpointed or acknowledged before the claim has landed,
     * and the restored position is acknowledged only then.
     */
    @Test
    void aNewOwnerProcessesWhileItsClaimUploadsAndCommitsNothingBeforeItLands() throws Exception {
        Checkpoints store = gatedStore();
        PartitionTasks first = tasks(store, "pod-a");
        first.accept(0, batch(1, 100)).toCompletableFuture().join();
        partitions.ackLost = true;
        first.get(0).orElseThrow().checkpoint().toCompletableFuture().exceptionally(e -> Optional.empty()).join();
        first.dropAll().join();
        partitions.ackLost = false;
        int manifests = gated.manifestsStored.get();

        gated.manifests().close();
        PartitionTasks second = tasks(store, "pod-b");
        CompletableFuture<Void> taken = second.accept(0, batch(1, 150)).toCompletableFuture();
        PartitionTask task = second.get(0).orElseThrow();
        gated.manifests().awaitArrival(); // the claim, held before its manifest
        task.restored().toCompletableFuture().get(5, TimeUnit.SECONDS);
        taken.get(5, TimeUnit.SECONDS);
        assertEquals(150L, processedThrough(task), "101..150 processed while the claim uploads");
        assertEquals(List.of(58L, 60L), TestPartitions.closedCounts(task), "1..100 from the checkpoint, 101..150 once");

        CompletableFuture<?> periodic = task.checkpoint().toCompletableFuture();
        CompletableFuture<Void> handOver = second.finalCheckpoint();
        Thread.sleep(300);
        assertFalse(periodic.isDone(), "a checkpoint waits for the claim");
        assertFalse(handOver.isDone(), "the hand-over waits for the claim");
        assertEquals(List.of(), partitions.acknowledgements, "nothing acknowledged before the claim landed");
        assertEquals(manifests, gated.manifestsStored.get(), "nothing committed before the claim");

        gated.manifests().open();
        handOver.get(20, TimeUnit.SECONDS);
        assertEquals(List.of("0:100", "0:150", "0:150"), partitions.acknowledgements,
                "the restored position once claimed, then the checkpoint, which the hand-over acknowledges again");
        assertTrue(periodic.isDone());
        assertEquals(manifests + 2, gated.manifestsStored.get(), "the claim, then the checkpoint");
        assertEquals(0, stateLost.get());
        second.dropAll().join();
    }

    /**
     * Issue 16: the previous owner, not told yet that the partition moved, commits a newer checkpoint while the new
     * owner's claim uploads and the new owner already processes. The claim loses: what the new owner processed since
     * its restore is dropped, none of it committed or acknowledged, and the partition restores the newer checkpoint
     * and takes the delivery only from right after it (asked again of the source), each reading counted once.
     */
    @Test
    void aClaimThatLosesToANewerCheckpointDropsWhatWasProcessedAndRestoresThatCheckpoint() throws Exception {
        PartitionTasks previous = tasks(TestPartitions.fileStore(tmp.resolve("store")), "pod-a");
        previous.accept(0, batch(1, 100)).toCompletableFuture().join();
        assertTrue(previous.get(0).orElseThrow().checkpoint().toCompletableFuture().join().isPresent()); // checkpoint 1
        previous.accept(0, batch(101, 120)).toCompletableFuture().join();

        Checkpoints store = gatedStore(); // the same store, with a gate for the new owner's manifests
        gated.manifests().close();
        PartitionTasks next = tasks(store, "pod-b");
        next.accept(0, batch(101, 130)).toCompletableFuture().get(5, TimeUnit.SECONDS); // from the cursor at 100
        PartitionTask lostClaim = next.get(0).orElseThrow();
        gated.manifests().awaitArrival(); // its claim of checkpoint 2, held before the manifest
        assertEquals(130L, processedThrough(lostClaim), "processed while the claim uploads");

        assertTrue(previous.get(0).orElseThrow().checkpoint().toCompletableFuture().join().isPresent()); // checkpoint 2: 120
        previous.dropAll().join();
        gated.manifests().open();
        await().atMost(Duration.ofSeconds(10)).until(() -> next.get(0).filter(t -> t != lostClaim).isPresent());
        PartitionTask restoredAgain = next.get(0).orElseThrow();
        restoredAgain.restored().toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertEquals(120L, processedThrough(restoredAgain), "the newer checkpoint, not the lost claim's state");
        assertEquals(Optional.empty(), lostClaim.checkpoint().toCompletableFuture().get(5, TimeUnit.SECONDS),
                "the task whose claim lost commits nothing");

        next.accept(0, batch(131, 140)).toCompletableFuture().join(); // what the broker sends next
        assertEquals(120L, processedThrough(restoredAgain), "nothing taken over the gap 121..130");
        next.checkDeliveries(); // no time passed: the broker will not rewind by itself for the same consumer
        roundTrips(restoredAgain);
        roundTrips(restoredAgain);
        assertEquals(List.of(0), partitions.redelivered, "asked at once to deliver again from the cursor");
        next.accept(0, batch(101, 190)).toCompletableFuture().join(); // again from the cursor, even from before it
        assertEquals(List.of(58L, 60L, 60L), TestPartitions.closedCounts(restoredAgain), "every reading once");

        next.finalCheckpoint().get(20, TimeUnit.SECONDS);
        assertEquals(List.of("0:100", "0:120", "0:120", "0:190"), partitions.acknowledgements,
                "the previous owner's two checkpoints, the newer one again once claimed, the hand-over: none of 101..130 on their own");
        assertEquals(2, gated.manifestsStored.get(), "the claim of the newer checkpoint and the hand-over; the lost claim stored nothing");
        assertEquals(0, stateLost.get());
        next.dropAll().join();
    }

    /** Item 9: a task taken away while it restores claims nothing. */
    @Test
    void aPartitionRevokedWhileItRestoresClaimsNothing() throws Exception {
        Checkpoints store = gatedStore();
        checkpointedOnAnotherPod(store);
        int manifests = gated.manifestsStored.get();

        gated.listings().close();
        PartitionTasks second = tasks(store, "pod-b");
        second.assigned(0);
        PartitionTask restoring = second.get(0).orElseThrow();
        gated.listings().awaitArrival();
        second.revoked(0);
        gated.listings().open();
        restoring.drop().toCompletableFuture().get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(manifests, gated.manifestsStored.get(), "a task that lost its partition must not claim it");
        assertEquals(0, stateLost.get());
    }

    /** Item 9: a partition revoked and handed back at once runs one task at a time over its directories. */
    @Test
    void aPartitionHandedBackRestoresOnlyOnceItsOldTaskHasClosed() throws Exception {
        java.util.Map<Integer, Long> restoredAt = new java.util.concurrent.ConcurrentHashMap<>();
        TaskEvents events = new TaskEvents() {
            @Override
            public void restored(int partition, java.util.Optional<RestoredCheckpoint> from, RestoreTimes took) {
                from.ifPresent(c -> restoredAt.put(partition, io.sensorrollup.source.SequencePositions.sequence(c.manifest().position())));
            }
        };
        PartitionTasks tasks = partitions.tasks(gatedStore(), tmp.resolve("pod-a"), Long.MAX_VALUE, events, stateLost::incrementAndGet);
        tasks.accept(0, batch(1, 100)).toCompletableFuture().join();
        tasks.get(0).orElseThrow().checkpoint().toCompletableFuture().join();
        tasks.accept(0, batch(101, 120)).toCompletableFuture().join();
        gated.manifests().close();
        tasks.get(0).orElseThrow().checkpoint();
        gated.manifests().awaitArrival();

        tasks.revoked(0);
        tasks.assigned(0);
        PartitionTask next = tasks.get(0).orElseThrow();
        Thread.sleep(300);
        assertFalse(next.restored().toCompletableFuture().isDone(), "the old task still has a checkpoint in flight");
        gated.manifests().open();
        next.restored().toCompletableFuture().get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(120L, restoredAt.get(0), "the new task restores the checkpoint its predecessor had in flight, the newest");

        assertEquals(List.of(0), partitions.fenced);
        tasks.accept(0, batch(90, 150).generation(1)).toCompletableFuture().join(); // Pulsar delivers from its cursor
        assertEquals(List.of(58L, 60L), TestPartitions.closedCounts(next));
        assertTrue(next.checkpoint().toCompletableFuture().join().isPresent());
        assertEquals(150L, partitions.acked.get(0));
        assertEquals(0, stateLost.get());
        tasks.dropAll().join();
    }

    /** Item 10: while the checkpoint store does not answer, the restore waits and says why; it never gives up. */
    @Test
    void aRestoreWaitsWhileTheCheckpointStoreIsDownAndGoesOnWhenItIsBack() throws Exception {
        Checkpoints store = gatedStore();
        checkpointedOnAnotherPod(store);

        gated.listFailuresLeft.set(4);
        PartitionTasks second = tasks(store, "pod-b");
        second.assigned(0);
        PartitionTask task = second.get(0).orElseThrow();
        await().atMost(Duration.ofSeconds(5)).until(() -> task.restoreWaitsFor().isPresent());
        assertTrue(task.restoreWaitsFor().get().contains("503"), task.restoreWaitsFor().get());
        assertFalse(task.restored().toCompletableFuture().isDone());
        task.restored().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(0, stateLost.get(), "the store being down is no reason to give the partition up");
        second.accept(0, batch(101, 150)).toCompletableFuture().join();
        assertEquals(List.of(58L, 60L), TestPartitions.closedCounts(task));
        second.dropAll().join();
    }

    /** Item 7: a state behind what the source has acknowledged would lose the readings in between: not run, not claimed. */
    @Test
    void aCheckpointBehindTheAcknowledgedPositionIsNeitherRunNorClaimed() throws Exception {
        Checkpoints store = gatedStore();
        checkpointedOnAnotherPod(store);
        int manifests = gated.manifestsStored.get();
        partitions.acked.put(0, 150L); // e.g. a newer manifest that the listing missed had been acknowledged

        PartitionTasks second = tasks(store, "pod-b");
        second.assigned(0);
        PartitionTask task = second.get(0).orElseThrow();
        await().atMost(Duration.ofSeconds(5)).until(() -> task.restoreWaitsFor().isPresent());
        assertTrue(task.restoreWaitsFor().get().contains("behind the subscription's acknowledged position 150"),
                task.restoreWaitsFor().get());
        Thread.sleep(600); // a retry or two
        assertFalse(task.restored().toCompletableFuture().isDone());
        assertEquals(manifests, gated.manifestsStored.get(), "a stale state must never be committed as the newest");
        second.dropAll().join();
    }

    /** Item 8: a dead letter that was not stored fails its own partition's checkpoint, and only that one. */
    @Test
    void aLostDeadLetterFailsOnlyTheCheckpointOfItsOwnPartition() {
        PartitionTasks tasks = tasks(store(), "pod-a");
        tasks.accept(0, batch(1, 100)).toCompletableFuture().join(); // message 7 is malformed: a dead letter
        tasks.accept(1, batch(1, 100)).toCompletableFuture().join();
        partitions.deadLettersLost.add(1);
        tasks.checkpointAll().join();
        assertEquals(100L, partitions.acked.get(0));
        assertNull(partitions.acked.get(1), "partition 1's dead letter was lost: its message 7 must stay unacknowledged");

        partitions.deadLettersLost.clear();
        tasks.checkpointAll().join();
        assertEquals(100L, partitions.acked.get(1));
        tasks.dropAll().join();
    }

    /** Messages 1..100 of partition 0 processed and checkpointed on pod-a, which then stops. */
    private void checkpointedOnAnotherPod(Checkpoints store) {
        PartitionTasks first = tasks(store, "pod-a");
        first.accept(0, batch(1, 100)).toCompletableFuture().join();
        first.get(0).orElseThrow().checkpoint().toCompletableFuture().join();
        first.dropAll().join();
    }

    private PartitionTasks tasks(Checkpoints store, String pod) {
        return partitions.tasks(store, tmp.resolve(pod), stateLost::incrementAndGet);
    }

    private Checkpoints store() {
        return TestPartitions.fileStore(tmp.resolve("store"));
    }

    private Checkpoints gatedStore() {
        gated = new GatedStore(new FileCheckpointStore(tmp.resolve("store")));
        return new Checkpoints(gated, 3, Duration.ofMinutes(10), Clock.systemUTC());
    }

    private static RawBatch batch(long first, long last) {
        return TestPartitions.batch(first, last, 1, 0);
    }

    private static long watermark(PartitionTask task) {
        return task.withProcessor(p -> p.watermark()).toCompletableFuture().join();
    }

    private static long outboxRows(PartitionTask task) {
        return task.withProcessor(p -> p.outboxBacklog()).toCompletableFuture().join();
    }

    private static long processedThrough(PartitionTask task) {
        return task.withProcessor(p -> io.sensorrollup.source.SequencePositions.sequence(p.position())).toCompletableFuture().join();
    }

    /** Lets what the partition's queue scheduled for itself run. */
    private static void roundTrips(PartitionTask task) {
        watermark(task);
        watermark(task);
    }
}
