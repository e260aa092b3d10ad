package io.sensorrollup.source.pulsar;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;

/**
 * Holds back one partition at a time. While a partition has batches that it has not taken yet, its consumer
 * is paused; it resumes when the last of them is taken. Pausing stops the broker's deliveries, not what is
 * already prefetched, so a held-back partition receives a bounded number of messages more. Only past
 * {@link #MAX_WAITING} such batches does the channel as a whole wait for it.
 */
final class PartitionHoldBack {

    static final int MAX_WAITING = 16;
    private static final CompletableFuture<Void> GO_ON = CompletableFuture.completedFuture(null);

    private final IntConsumer pause;
    private final IntConsumer resume;
    private final Map<Integer, int[]> waiting = new ConcurrentHashMap<>();

    PartitionHoldBack(IntConsumer pause, IntConsumer resume) {
        this.pause = pause;
        this.resume = resume;
    }

    /** What the channel waits for: nothing, unless {@code partition} has too many batches it has not taken. */
    CompletableFuture<Void> track(int partition, CompletableFuture<Void> taken) {
        if (taken.isDone()) {
            return GO_ON;
        }
        int[] count = waiting.computeIfAbsent(partition, p -> new int[1]);
        int now;
        synchronized (count) {
            now = ++count[0];
            if (now == 1) {
                pause.accept(partition);
            }
        }
        taken.whenComplete((ok, e) -> {
            synchronized (count) {
                if (--count[0] == 0) {
                    resume.accept(partition);
                }
            }
        });
        return now > MAX_WAITING ? taken : GO_ON;
    }
}
