package io.sensorrollup.source.pulsar;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;

/**
 * Holds back one partition at a time. While a partition has batches that it has not taken yet, its consumer
 * is paused; it resumes when the last of them is taken. Pausing stops the broker's deliveries, not what is
 * already prefetched, so a held-back partition receives a bounded number of messages more. Only past
 * {@link #MAX_WAITING} such batches, or {@link #MAX_WAITING_BYTES} of their payloads, does the channel as a whole
 * wait for it: 16 batches of ordinary readings are a few MiB, but 16 of 5 MB readings would be 80 MB per
 * partition on the heap.
 */
final class PartitionHoldBack {

    static final int MAX_WAITING = 16;
    static final long MAX_WAITING_BYTES = 4 << 20;
    private static final CompletableFuture<Void> GO_ON = CompletableFuture.completedFuture(null);

    private final IntConsumer pause;
    private final IntConsumer resume;
    private final Map<Integer, long[]> waiting = new ConcurrentHashMap<>();

    PartitionHoldBack(IntConsumer pause, IntConsumer resume) {
        this.pause = pause;
        this.resume = resume;
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
        synchronized (untaken) {
            if (++untaken[0] == 1) {
                pause.accept(partition);
            }
            untaken[1] += bytes;
            tooMuch = untaken[0] > MAX_WAITING || untaken[1] > MAX_WAITING_BYTES;
        }
        taken.whenComplete((ok, e) -> {
            synchronized (untaken) {
                untaken[1] -= bytes;
                if (--untaken[0] == 0) {
                    resume.accept(partition);
                }
            }
        });
        return tooMuch ? taken : GO_ON;
    }
}
