package io.sensorrollup.partition;

import io.sensorrollup.checkpoint.CheckpointConflictException;
import io.sensorrollup.checkpoint.Checkpoints;
import io.sensorrollup.checkpoint.CompletedCheckpoint;
import io.sensorrollup.checkpoint.FailingStore;
import io.sensorrollup.checkpoint.FileCheckpointStore;
import io.sensorrollup.partition.PartitionTask;
import io.sensorrollup.partition.PartitionTasks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    /**
     * PartitionHandBackIT saw it: during the failover delay Pulsar 4.0.7 sends a partition's new owner what the
     * previous owner had read ahead, then rewinds to the acknowledged position and sends the rest.
     */
    @Test
    void aNewOwnerTakesNothingUntilTheDeliveryGoesOnRightAfterTheRestoredPosition() throws Exception {
        Checkpoints store = handedOverAfter50();

        PartitionTasks next = tasks(store, tmp.resolve("pod-b"));
        next.accept(0, batch(61, 80, 0)).toCompletableFuture().join(); // the previous owner's read-ahead
        PartitionTask task = next.get(0).orElseThrow();
        task.restored().toCompletableFuture().join();
        TestPartitions.closedCounts(task);
        assertTrue(task.startWaitsFor().orElseThrow().contains("starts at 61, not right after 50"), task.startWaitsFor()::get);
        next.checkpointAll().join();
        assertEquals(50L, acked.get(0), "nothing of the read-ahead acknowledged");

        next.accept(0, batch(51, 100, 0)).toCompletableFuture().join(); // after the broker's rewind
        assertEquals(List.of(58L), TestPartitions.closedCounts(task), "[0 s, 60 s): 1..59 less the malformed 7, each once");
        assertEquals(java.util.Optional.empty(), task.startWaitsFor());
        next.checkpointAll().join();
        assertEquals(100L, acked.get(0));
        next.dropAll().join();
    }

    /**
     * A rewind that raced a read in progress on the broker (a late fence, PartitionHandBackIT) goes on after the
     * messages that read took: a new owner would wait for them for ever. It asks the source again, less and less
     * often, until the delivery goes on right after its restored position.
     */
    @Test
    void aNewOwnerWhoseDeliveryDoesNotGoOnFromTheRestoredPositionAsksTheSourceToDeliverAgain() throws Exception {
        Checkpoints store = handedOverAfter50();
        partitions.published.put(0, 80L);

        PartitionTasks next = tasks(store, tmp.resolve("pod-b"));
        next.accept(0, batch(61, 80, 0)).toCompletableFuture().join(); // 51..60 skipped by the broker
        PartitionTask task = next.get(0).orElseThrow();
        task.restored().toCompletableFuture().join();
        assertRedeliveries(next, 4_000, List.of());
        assertRedeliveries(next, 1_000, List.of(0));
        assertRedeliveries(next, 5_000, List.of(0)); // then after 10 s
        assertRedeliveries(next, 5_000, List.of(0, 0));
        assertTrue(task.startWaitsFor().isPresent());

        next.accept(0, batch(51, 100, 0)).toCompletableFuture().join(); // delivered again from the cursor
        assertEquals(List.of(58L), TestPartitions.closedCounts(task));
        assertRedeliveries(next, 60_000, List.of(0, 0));
        next.dropAll().join();
    }

    /**
     * Seen in dev/chaos (seed 8416): the broker restarted and went on in a new ledger; the new owner restored a
     * checkpoint taken before, in the old ledger, and got the previous owner's read-ahead from the new ledger
     * first. Entry 0 of a later ledger looked like the next message, and the rest of the old ledger was skipped.
     */
    @Test
    void aNewOwnerWhoseDeliveryStartsInALaterSegmentTakesNothingUntilTheSourceSaysNothingLiesBetween() throws Exception {
        Checkpoints store = handedOverAfter50();
        partitions.published.put(0, 80L);
        partitions.segmentStarts.add(61L);

        PartitionTasks next = tasks(store, tmp.resolve("pod-b"));
        next.accept(0, batch(61, 80, 0)).toCompletableFuture().join(); // 51..60 are the old ledger's tail
        PartitionTask task = next.get(0).orElseThrow();
        task.restored().toCompletableFuture().join();
        assertRedeliveries(next, 5_000, List.of(0));
        next.accept(0, batch(51, 100, 0)).toCompletableFuture().join(); // delivered again from the cursor
        assertEquals(List.of(58L), TestPartitions.closedCounts(task), "readings 51..59 counted in the first minute");
        next.dropAll().join();
    }

    /** The skipped messages may be the last the partition has: with nothing more coming, the source is asked. */
    @Test
    void aNewOwnerThatGetsNothingWhileTheSourceHoldsMoreAsksTheSourceToDeliverAgain() throws Exception {
        Checkpoints store = handedOverAfter50();

        PartitionTasks quiet = tasks(store, tmp.resolve("pod-b"));
        quiet.assigned(0);
        quiet.get(0).orElseThrow().restored().toCompletableFuture().join();
        assertRedeliveries(quiet, 5_000, List.of()); // caught up: nothing to deliver
        partitions.published.put(0, 60L);
        assertRedeliveries(quiet, 5_000, List.of(0));
        assertTrue(quiet.get(0).orElseThrow().startWaitsFor().orElseThrow().contains("holds more after 50"),
                quiet.get(0).orElseThrow().startWaitsFor()::get);
        quiet.dropAll().join();
    }

    /**
     * Seen in dev/chaos (seed 8416): a pod restored the partition and was frozen (SIGSTOP) before its delivery went
     * on; Pulsar gave the partition to another pod, which ran it on and acknowledged, then back to the thawed pod,
     * which never heard either event. The broker delivers from its cursor, past what the restored state holds: asked
     * again and again, it never sends the messages in between. The state is stale: the pod restores the newest
     * checkpoint instead, which is where the cursor stands.
     */
    @Test
    void anOwnerFrozenWhileThePartitionRanOnElsewhereRestoresTheNewerCheckpointInsteadOfWaitingForEver() throws Exception {
        Checkpoints store = handedOverAfter50();
        PartitionTasks thawed = tasks(store, tmp.resolve("pod-b"));
        thawed.assigned(0);
        PartitionTask stale = thawed.get(0).orElseThrow();
        stale.claimed().toCompletableFuture().join();

        ranElsewhere51To80(store, "pod-c");
        thawed.accept(0, batch(81, 100, 0)).toCompletableFuture().join(); // from the cursor: 51..80 never come
        partitions.wallClock.addAndGet(5_000);
        thawed.checkDeliveries();
        PartitionTask restoredAgain = awaitNewTask(thawed, 0, stale);
        restoredAgain.restored().toCompletableFuture().join();
        assertEquals(List.of(), partitions.redelivered, "the stale state asked for nothing");
        assertRedeliveries(thawed, 5_000, List.of(0)); // what the stale task dropped, from the cursor
        thawed.accept(0, batch(81, 100, 0)).toCompletableFuture().join();
        assertEquals(100L, restoredAgain.withProcessor(p -> io.sensorrollup.source.SequencePositions.sequence(p.position()))
                .toCompletableFuture().join());
        assertEquals(Optional.empty(), restoredAgain.startWaitsFor());
        assertTrue(restoredAgain.checkpoint().toCompletableFuture().join().isPresent(), "the newer state checkpoints");
        assertEquals(100L, acked.get(0));
        thawed.dropAll().join();
    }

    /**
     * PartitionHandBackIT saw it (Pulsar 4.0.7): a consumer that joins a Failover subscription gets messages at once
     * when a read was in progress, and the broker tells the others that it is active only after its failover delay.
     * One that took the partition, acknowledged and left within that second was never heard of here: the
     * delivery goes on from its acknowledged position, past a gap of what it processed. A running partition
     * processes nothing over a gap: it restores the newest checkpoint, which is the other owner's.
     */
    @Test
    void aRunningOwnerWhoseDeliverySkipsWhatAnotherOwnerRanMeanwhileRestoresTheNewerCheckpoint() throws Exception {
        Checkpoints store = TestPartitions.fileStore(tmp.resolve("store"));
        PartitionTasks running = tasks(store, tmp.resolve("pod-a"));
        PartitionTask unaware = checkpointedThrough50(running);

        ranElsewhere51To80(store, "pod-b");
        running.accept(0, batch(81, 100, 0)).toCompletableFuture().join(); // no event said the partition had gone
        assertEquals(50L, processedThrough(unaware), "nothing processed over the gap 51..80");
        assertTrue(unaware.startWaitsFor().orElseThrow().contains("81"), unaware.startWaitsFor()::get);
        running.checkDeliveries();
        PartitionTask restoredAgain = awaitNewTask(running, 0, unaware);
        restoredAgain.restored().toCompletableFuture().join();
        assertRedeliveries(running, 5_000, List.of(0)); // what the stale task dropped, from the cursor
        running.accept(0, batch(81, 100, 0)).toCompletableFuture().join();
        assertEquals(List.of(58L), TestPartitions.closedCounts(restoredAgain), "[0 s, 60 s): 1..59 less the malformed 7");
        assertTrue(restoredAgain.checkpoint().toCompletableFuture().join().isPresent());
        assertEquals(100L, acked.get(0));
        running.dropAll().join();
    }

    /**
     * The broker moved the subscription on by itself (a message TTL, or a backlog quota that evicts): 51..80 were
     * never processed anywhere. The partition processes nothing over the gap, and its newest checkpoint is behind the
     * acknowledged position: it is not run, and readiness says why, rather than lose 51..80 silently.
     */
    @Test
    void aRunningOwnerWhoseSubscriptionTheBrokerMovedOnStopsRatherThanSkipWhatNoCheckpointCovers() throws Exception {
        Checkpoints store = TestPartitions.fileStore(tmp.resolve("store"));
        PartitionTasks running = tasks(store, tmp.resolve("pod-a"));
        PartitionTask task = checkpointedThrough50(running);

        acked.put(0, 80L); // 51..80 expired on the broker
        partitions.published.put(0, 100L);
        running.accept(0, batch(81, 100, 0)).toCompletableFuture().join();
        assertEquals(50L, processedThrough(task), "nothing processed over the gap 51..80");
        running.checkDeliveries();
        PartitionTask restoredAgain = awaitNewTask(running, 0, task);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> restoredAgain.restoreWaitsFor().isPresent());
        assertTrue(restoredAgain.restoreWaitsFor().get().contains("behind the subscription's acknowledged position 80"),
                restoredAgain.restoreWaitsFor().get());
        assertFalse(restoredAgain.restored().toCompletableFuture().isDone(), "a state behind the cursor is not run");
        assertEquals(80L, acked.get(0));
        running.dropAll().join();
    }

    /** Partition 0 of {@code running} processes 1..50 and checkpoints them. */
    private static PartitionTask checkpointedThrough50(PartitionTasks running) {
        running.accept(0, batch(1, 50, 0)).toCompletableFuture().join();
        PartitionTask task = running.get(0).orElseThrow();
        assertTrue(task.checkpoint().toCompletableFuture().join().isPresent());
        return task;
    }

    private static long processedThrough(PartitionTask task) {
        return task.withProcessor(p -> io.sensorrollup.source.SequencePositions.sequence(p.position()))
                .toCompletableFuture().join();
    }

    /** Another pod runs the partition on from its newest checkpoint, through 80, acknowledges and leaves; 100 are published. */
    private void ranElsewhere51To80(Checkpoints store, String pod) {
        PartitionTasks meanwhile = tasks(store, tmp.resolve(pod));
        meanwhile.accept(0, batch(51, 80, 0)).toCompletableFuture().join();
        meanwhile.finalCheckpoint().join();
        meanwhile.dropAll().join();
        assertEquals(80L, acked.get(0));
        partitions.published.put(0, 100L);
    }

    private static PartitionTask awaitNewTask(PartitionTasks tasks, int partition, PartitionTask old) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Optional<PartitionTask> now = tasks.get(partition);
            if (now.isPresent() && now.get() != old) {
                return now.get();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("partition " + partition + " still runs its stale state: " + old.startWaitsFor().orElse("?"));
    }

    /** A store where the partition's previous owner processed 1..50, checkpointed and acknowledged them, and left. */
    private Checkpoints handedOverAfter50() {
        Checkpoints store = TestPartitions.fileStore(tmp.resolve("store"));
        PartitionTasks previous = tasks(store, tmp.resolve("pod-a"));
        previous.accept(0, batch(1, 50, 0)).toCompletableFuture().join();
        previous.finalCheckpoint().join();
        assertEquals(50L, acked.get(0));
        return store;
    }

    /** Moves the partitions' clock on, lets them check their delivery starts, and checks what they asked the source. */
    private void assertRedeliveries(PartitionTasks tasks, long millisLater, List<Integer> expected) {
        partitions.wallClock.addAndGet(millisLater);
        tasks.checkDeliveries();
        for (int step = 0; step < 3; step++) { // the check, the source's answer to it, and the request
            tasks.tasks().forEach(t -> t.withProcessor(p -> null).toCompletableFuture().join());
        }
        assertEquals(expected, partitions.redelivered);
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
        next.get(0).orElseThrow().claimed().toCompletableFuture().join();
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
    void messagesOfAPartitionHandedBackThatOvertakeTheEventAreTakenAndItsEarlierTurnsAreSkipped() throws Exception {
        Checkpoints store = TestPartitions.fileStore(tmp.resolve("store"));
        PartitionTasks tasks = tasks(store, tmp.resolve("pod-a"));
        tasks.assigned(0);
        tasks.accept(0, batch(1, 5, 0)).toCompletableFuture().join();
        tasks.get(0).orElseThrow().checkpoint().toCompletableFuture().join();
        assertEquals(List.of(), partitions.fenced, "a partition assigned is not fenced");

        tasks.revoked(0);
        assertEquals(List.of(0), partitions.fenced, "taken away: fenced, generation 1");
        tasks.accept(0, batch(6, 50, 0)).toCompletableFuture().join(); // delivered before the fence: dropped
        assertEquals(java.util.Set.of(), tasks.owned());
        tasks.accept(0, batch(6, 100, 0).generation(1)).toCompletableFuture().join(); // handed back, before the event
        assertEquals(java.util.Set.of(0), tasks.owned(), "a message after the fence proves the partition is back");
        tasks.assigned(0); // the event, late
        tasks.accept(0, batch(51, 100, 0)).toCompletableFuture().join(); // a left-over of the turn before: skipped
        List<Long> closedCounts = TestPartitions.closedCounts(tasks.get(0).orElseThrow());
        assertEquals(List.of(58L), closedCounts, "[0 s, 60 s): 1..59 less the malformed 7, each once");
        tasks.checkpointAll().join();
        assertEquals(100L, acked.get(0));
        assertEquals(List.of(0), partitions.fenced, "handed back: not fenced again (the broker delivers from the cursor)");
        tasks.dropAll().join();
    }

    /**
     * A pod that hears late that its partition was taken away (stalled, or its client's event thread busy) may
     * hear it only after the partition is back: the fence then starts a delivery from the other owner's
     * acknowledged position at once, and its first messages must reach a task that restored the other owner's
     * checkpoint, not the task of the earlier turn, which would take them after a gap (PartitionHandBackIT on CI).
     */
    @Test
    void aDeliveryThatOvertakesTheFenceOfALateRevocationGoesToATaskThatRestoredTheOtherOwnersCheckpoint() throws Exception {
        Checkpoints store = TestPartitions.fileStore(tmp.resolve("store"));
        PartitionTasks late = tasks(store, tmp.resolve("pod-a"));
        late.accept(0, batch(1, 50, 0)).toCompletableFuture().join();
        late.checkpointAll().join();
        PartitionTasks other = tasks(store, tmp.resolve("pod-b"));
        other.accept(0, batch(51, 100, 0)).toCompletableFuture().join();
        other.finalCheckpoint().join();
        assertEquals(100L, acked.get(0));

        CompletableFuture<Void> overtaking = new CompletableFuture<>();
        partitions.whileFencing = () -> {
            // the channel's thread, with the broker's first message of the fence's generation
            CompletableFuture.runAsync(() -> late.accept(0, batch(101, 120, 0).generation(1)).toCompletableFuture().join())
                    .whenComplete((ok, e) -> overtaking.complete(null));
            try {
                overtaking.get(300, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception stillWaiting) {
                // blocked on the revocation: it takes the batch once the revocation is done
            }
        };
        late.revoked(0);
        overtaking.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(java.util.Set.of(0), late.owned(), "the partition is back, with a new task");
        late.checkpointAll().join();
        assertEquals(120L, acked.get(0), "101..120 on the other owner's 1..100");
        late.dropAll().join();
    }

    @Test
    void aPartitionHandedBackAfterTheEventSkipsWhatItsEarlierTurnStillBrings() throws Exception {
        PartitionTasks tasks = tasks(TestPartitions.fileStore(tmp.resolve("store")), tmp.resolve("pod-a"));
        tasks.revoked(0); // at start-up: another pod's
        tasks.revoked(0); // and once more
        tasks.assigned(0);
        tasks.accept(0, batch(1, 100, 0).generation(1)).toCompletableFuture().join(); // before the second fence
        tasks.accept(0, batch(1, 100, 0).generation(2)).toCompletableFuture().join();
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
