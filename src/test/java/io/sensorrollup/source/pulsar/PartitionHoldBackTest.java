package io.sensorrollup.source.pulsar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Issue 12 item 1: one partition that cannot take more is paused alone; the channel goes on with the others. */
class PartitionHoldBackTest {

    private final List<String> calls = new ArrayList<>();
    private final PartitionHoldBack holdBack = new PartitionHoldBack(p -> calls.add("pause " + p), p -> calls.add("resume " + p),
            () -> java.util.Set.of());

    @Test
    void aHeldBackPartitionIsPausedAloneAndResumedOnceItHasTakenEverything() {
        CompletableFuture<Void> restoring1 = new CompletableFuture<>();
        CompletableFuture<Void> restoring2 = new CompletableFuture<>();
        assertTrue(holdBack.track(3, 100, restoring1).isDone(), "the channel does not wait for partition 3");
        assertTrue(holdBack.track(3, 100, restoring2).isDone());
        assertTrue(holdBack.track(5, 100, CompletableFuture.completedFuture(null)).isDone());
        assertEquals(List.of("pause 3"), calls);

        restoring1.complete(null);
        assertEquals(List.of("pause 3"), calls, "still a batch it has not taken");
        restoring2.complete(null);
        assertEquals(List.of("pause 3", "resume 3"), calls);
    }

    @Test
    void theChannelWaitsOnlyForAPartitionThatKeepsReceivingWhilePaused() {
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (int i = 0; i < PartitionHoldBack.MAX_WAITING; i++) {
            CompletableFuture<Void> batch = new CompletableFuture<>();
            pending.add(batch);
            assertTrue(holdBack.track(0, 100, batch).isDone());
        }
        CompletableFuture<Void> oneTooMany = new CompletableFuture<>();
        assertFalse(holdBack.track(0, 100, oneTooMany).isDone(), "prefetch beyond the bound: now the whole channel waits");
        oneTooMany.complete(null);
        pending.forEach(b -> b.complete(null));
        assertEquals(List.of("pause 0", "resume 0"), calls);
    }

    @Test
    void theChannelWaitsForAPartitionHoldingTooManyBytesBeforeTooManyBatches() {
        CompletableFuture<Void> first = new CompletableFuture<>();
        assertTrue(holdBack.track(2, 3 << 20, first).isDone(), "3 MiB waiting: the channel goes on");
        CompletableFuture<Void> second = new CompletableFuture<>();
        assertFalse(holdBack.track(2, 3 << 20, second).isDone(), "6 MiB of two batches: now the channel waits");
        first.complete(null);
        second.complete(null);
        CompletableFuture<Void> later = new CompletableFuture<>();
        assertTrue(holdBack.track(2, 3 << 20, later).isDone(), "taken bytes no longer count");
        later.complete(null);
        assertEquals(List.of("pause 2", "resume 2", "pause 2", "resume 2"), calls);
    }

    /**
     * Issue 12, the residual of item 13: while the channel waited for one partition, the others went on filling
     * the client's shared queue, 2 000 messages whatever their size.
     */
    @Test
    void whileTheChannelWaitsEveryPartitionIsPausedAndTheFreeOnesResumeAfter() {
        PartitionHoldBack all = new PartitionHoldBack(p -> calls.add("pause " + p), p -> calls.add("resume " + p),
                () -> new java.util.TreeSet<>(java.util.Set.of(0, 1, 2, 3)));
        CompletableFuture<Void> restoring = new CompletableFuture<>();
        assertTrue(all.track(3, 100, restoring).isDone(), "partition 3 held back alone");
        CompletableFuture<Void> huge = new CompletableFuture<>();
        assertFalse(all.track(1, 5 << 20, huge).isDone(), "5 MiB untaken: the channel waits");
        assertEquals(List.of("pause 3", "pause 1", "pause 0", "pause 2"), calls);

        calls.clear();
        huge.complete(null);
        assertEquals(List.of("resume 0", "resume 1", "resume 2"), calls, "partition 3 has still not taken its batch");
        calls.clear();
        restoring.complete(null);
        assertEquals(List.of("resume 3"), calls);
    }

    @Test
    void aPartitionThatTakesItsBatchesWhileTheChannelWaitsStaysPausedUntilTheWaitEnds() {
        PartitionHoldBack all = new PartitionHoldBack(p -> calls.add("pause " + p), p -> calls.add("resume " + p),
                () -> new java.util.TreeSet<>(java.util.Set.of(0, 1)));
        CompletableFuture<Void> small = new CompletableFuture<>();
        all.track(0, 100, small);
        CompletableFuture<Void> huge = new CompletableFuture<>();
        all.track(1, 5 << 20, huge);
        calls.clear();
        small.complete(null);
        assertEquals(List.of(), calls, "the channel still waits: partition 0 stays paused");
        huge.complete(null);
        assertEquals(List.of("resume 0", "resume 1"), calls);
    }
}
