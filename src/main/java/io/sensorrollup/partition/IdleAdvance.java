package io.sensorrollup.partition;

import io.sensorrollup.state.PartitionProcessor;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Lets a partition's watermark advance on wall-clock time when it is idle: silent for the idle timeout and caught
 * up, nothing queued for it and nothing more for it at the source (CONTRACT §2). A partition that is held back,
 * behind, or whose source does not answer is never idle.
 *
 * <p>Caught up must hold for the whole idle timeout, each answer of the source confirming the one before at the
 * same position: a hung broker answers nothing, and the readings its producers held meanwhile reach it just after
 * it answers again, so its silence is not the fleet's (dev/chaos, seed 8104: a broker hung for 20 s, then the
 * partition was found caught up and advanced by those 20 s, and the producers' readings that followed were late).
 */
final class IdleAdvance {

    /** How long a partition must be silent before the source is asked whether it is caught up. */
    private static final long ASK_AFTER_SILENCE_MILLIS = 1_000;

    private final int partition;
    private final TaskContext runtime;
    private final AtomicBoolean asking = new AtomicBoolean();
    // touched on the partition's queue only
    private byte[] caughtUpAt;
    private long caughtUpSince;

    IdleAdvance(int partition, TaskContext runtime) {
        this.partition = partition;
        this.runtime = runtime;
    }

    /** Whether no question to the source is out: then the caller may queue {@link #ask}. */
    boolean startAsking() {
        return asking.compareAndSet(false, true);
    }

    /**
     * On the partition's queue ({@code queue}), after {@link #startAsking}: asks the source whether the partition
     * is caught up, if it has been silent, and advances its watermark when the answers say so for long enough.
     *
     * @param busy whether batches are queued for the partition (or it was dropped): news, so not idle
     * @param advanced told after the watermark advanced
     */
    void ask(PartitionProcessor processor, BooleanSupplier busy, Executor queue, Runnable advanced) {
        long now = runtime.wallClock().getAsLong();
        if (busy.getAsBoolean() || !processor.silentFor(now, ASK_AFTER_SILENCE_MILLIS)) {
            asking.set(false);
            return;
        }
        byte[] position = processor.position();
        runtime.cursor().caughtUp(partition, position).toCompletableFuture()
                .orTimeout(5, TimeUnit.SECONDS)
                .whenComplete((caughtUp, e) -> {
                    asking.set(false);
                    boolean confirmed = e == null && caughtUp;
                    queue.execute(() -> answered(processor, busy, position, confirmed, advanced));
                });
    }

    private void answered(PartitionProcessor processor, BooleanSupplier busy, byte[] askedAt, boolean caughtUp,
            Runnable advanced) {
        long now = runtime.wallClock().getAsLong();
        // a batch processed meanwhile was news from the source: not idle after all
        if (!caughtUp || busy.getAsBoolean() || !Arrays.equals(askedAt, processor.position())) {
            caughtUpAt = null;
            return;
        }
        if (!Arrays.equals(askedAt, caughtUpAt)) {
            caughtUpAt = askedAt;
            caughtUpSince = now;
        }
        if (now - caughtUpSince >= runtime.engine().idleTimeout().toMillis() && processor.isIdle(now)) {
            processor.advanceIdle(now);
            advanced.run();
        }
    }
}
