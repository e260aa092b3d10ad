package io.sensorrollup.source.pulsar;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Holds back one partition at a time. While a partition has batches that it has not taken yet, its consumer
 * is paused; it resumes when the last of them is taken. Pausing stops the broker's deliveries, not what is
 * already prefetched, so a held-back partition receives a bounded number of messages more. Only past
 * {@link #MAX_WAITING} such batches, or {@link #MAX_WAITING_BYTES} of their payloads, does the channel as a whole
 * wait for it: 16 batches of ordinary readings are a few MiB, but 16 of 5 MB readings would be 80 MB per
 * partition on the heap.
 *
 * <p>While the channel waits, every partition is paused: the client's shared queue (the channel's receive queue,
 * 2 000 messages) would otherwise fill with the others' messages, which is 10 GB of 5 MB readings. So what the
 * client holds stays within its per-partition queues: {@code receive-queue-per-partition} messages of each.
 */
final class PartitionHoldBack {

    static final int MAX_WAITING = 16;
    static final long MAX_WAITING_BYTES = 4 << 20;
    private static final CompletableFuture<Void> GO_ON = CompletableFuture.completedFuture(null);

    private final IntConsumer pause;
    private final IntConsumer resume;
    private final Supplier<Set<Integer>> partitions;
    /** Per partition: batches and bytes handed on and not taken yet. Guarded by this. */
    private final Map<Integer, long[]> waiting = new ConcurrentHashMap<>();
    /** Batches the channel waits for. Guarded by this. */
    private int channelWaits;

    /** @param partitions the partitions the consumer reads, all paused while the channel waits */
    PartitionHoldBack(IntConsumer pause, IntConsumer resume, Supplier<Set<Integer>> partitions) {
        this.pause = pause;
        this.resume = resume;
        this.partitions = partitions;
    }

    /**
     * What the channel waits for: nothing, unless {@code partition} has too many batches, or bytes, that it has not
     * taken.
     */
    CompletableFuture<Void> track(int partition, long bytes, CompletableFuture<Void> taken) {
        if (taken.isDone()) {
            return GO_ON;
        }
        long[] untaken = waiting.computeIfAbsent(partition, p -> new long[2]); // batches, bytes
        boolean tooMuch;
        synchronized (this) {
            if (++untaken[0] == 1) {
                pause.accept(partition);
            }
            untaken[1] += bytes;
            tooMuch = untaken[0] > MAX_WAITING || untaken[1] > MAX_WAITING_BYTES;
            if (tooMuch && channelWaits++ == 0) {
                partitions.get().forEach(p -> {
                    if (untaken(p) == 0) {
                        pause.accept(p);
                    }
                });
            }
        }
        boolean channelWaitsForIt = tooMuch;
        taken.whenComplete((ok, e) -> {
            synchronized (this) {
                untaken[1] -= bytes;
                untaken[0]--;
                if (channelWaitsForIt && --channelWaits == 0) {
                    Set<Integer> all = new java.util.TreeSet<>(partitions.get());
                    all.add(partition);
                    all.stream().filter(p -> untaken(p) == 0).forEach(resume::accept);
                } else if (untaken[0] == 0 && channelWaits == 0) {
                    resume.accept(partition);
                }
            }
        });
        return tooMuch ? taken : GO_ON;
    }

    private long untaken(int partition) {
        long[] untaken = waiting.get(partition);
        return untaken == null ? 0 : untaken[0];
    }
}
