package io.sensorrollup.partition;

import io.sensorrollup.source.RawBatch;
import io.sensorrollup.source.SourceCursor;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What of the source's delivery a partition processes: nothing it processed already, and, after a restore, nothing
 * until the delivery goes on right after the restored position (or the acknowledged one when there was nothing to
 * restore). During the failover delay Pulsar 4.0.7 already sends a partition's new owner what the previous owner
 * had read ahead beyond the acknowledged position, and only then rewinds to it and sends the rest: taking the
 * read-ahead first would skip the readings in between (PartitionHandBackIT). Dropped, it stays unacknowledged and
 * comes again after the rewind.
 *
 * <p>A rewind can also go wrong: one that races a read in progress on the broker goes on after what that read
 * took (a fence heard late, when the partition was already back). So a delivery that has not gone on from the
 * restored position after a while, while the source holds more, is asked for again, then less and less often.
 *
 * <p>Unless the subscription is acknowledged past the restored position: then another pod ran the partition on
 * from a newer checkpoint while this one did not hear it had lost it (frozen, or its events lost), and the broker
 * will never deliver what lies in between again. The state is stale, and {@link Events#stale} says so.
 *
 * <p>A running partition's delivery must go on right after what it processed, too: Pulsar 4.0.7 tells the other
 * consumers that a new one is active only after its failover delay, and a consumer that took the partition,
 * acknowledged and left within that delay was never heard of here (PartitionHandBackIT). What follows a gap is
 * not processed: the filter waits as after a restore, and asks the source at once. A later ledger's first entry
 * after the end of an entry is taken as next while running: asking the broker at each ledger roll would stall
 * the partition, and a pod that ran it meanwhile claimed it, so this one's next checkpoint cannot commit.
 *
 * <p>Used on the partition's queue; {@link #waitsFor()} from anywhere.
 */
final class DeliveryFilter {

    private static final System.Logger LOG = System.getLogger(DeliveryFilter.class.getName());
    /** Well past Pulsar's failover delay (1 s by default), after which the broker has rewound. */
    private static final long FIRST_REDELIVERY_MILLIS = 5_000;
    private static final long MAX_REDELIVERY_PAUSE_MILLIS = 60_000;
    private static final long STALL_MILLIS = TimeUnit.SECONDS.toMillis(30);

    private final int partition;
    private final SourceCursor cursor;
    private final LongSupplier clock;
    private final Events events;
    private long since;
    private volatile byte[] after;
    private long nextRedeliveryAt;
    private long redeliveryPause = FIRST_REDELIVERY_MILLIS;
    private boolean askingSource;
    private volatile String waitsFor;
    private byte[] askedBetween;
    private CompletableFuture<Boolean> answerBetween;

    /** What the filter tells its partition. */
    interface Events {

        /** The source was asked to deliver again. */
        void redeliveryRequested();

        /** {@code count} messages of a batch were dropped as processed already. */
        void replayed(int count);

        /** The subscription is acknowledged past the restored position: told on the partition's queue. */
        void stale(String why);
    }

    /**
     * @param after the position the delivery must go on from; null when any first message will do
     * @param clock the partition's wall clock, in milliseconds
     * @param sourceRewinds whether the source goes back to the acknowledged position by itself, as Pulsar does for a
     *     partition newly assigned to this consumer, and is asked only once it has had the time; false for a state
     *     restored again on the same consumer, whose delivery goes on where the discarded one stopped: the first
     *     {@link #check} asks at once
     */
    DeliveryFilter(int partition, SourceCursor cursor, byte[] after, LongSupplier clock, boolean sourceRewinds,
            Events events) {
        this.partition = partition;
        this.cursor = cursor;
        this.after = after;
        this.clock = clock;
        this.events = events;
        this.since = clock.getAsLong();
        this.nextRedeliveryAt = sourceRewinds ? since + FIRST_REDELIVERY_MILLIS : since;
    }

    /**
     * What of {@code batch} the partition processes, given the last position it processed: what comes after it
     * (after a restore Pulsar delivers again from its cursor, which may lag the checkpoint by one acknowledgement),
     * once the delivery has gone on right after the restored position; null for nothing. A batch's messages follow
     * one another ({@link RawBatch}), so the first fresh one alone says whether the delivery skipped ahead.
     */
    RawBatch toProcess(RawBatch batch, byte[] processed) {
        RawBatch fresh = withoutProcessed(batch, processed);
        if (fresh.size() == 0 || skipsAhead(processed, fresh.position(0))) {
            return null;
        }
        return admits(fresh.position(0)) ? fresh : null;
    }

    /** Whether a running partition's delivery skipped ahead of what it processed: it then waits as after a restore. */
    private boolean skipsAhead(byte[] processed, byte[] first) {
        if (after != null || processed == null || cursor.follows(processed, first)) {
            return false;
        }
        after = processed;
        since = clock.getAsLong();
        nextRedeliveryAt = since;
        redeliveryPause = FIRST_REDELIVERY_MILLIS;
        waitsFor = "its delivery skipped to " + cursor.describe(first) + " right after " + cursor.describe(processed)
                + ": asking the source what lies between";
        LOG.log(Level.WARNING, "Partition {0}: {1} (another consumer may have run it meanwhile, unheard of here)",
                partition, waitsFor);
        return true;
    }

    private RawBatch withoutProcessed(RawBatch batch, byte[] last) {
        if (last == null) {
            return batch;
        }
        int first = 0;
        while (first < batch.size() && cursor.compare(batch.position(first), last) <= 0) {
            first++;
        }
        if (first == 0) {
            return batch;
        }
        events.replayed(first);
        return batch.from(first);
    }

    private boolean admits(byte[] first) {
        if (after == null) {
            return true;
        }
        if (cursor.follows(after, first) && nothingBetween(first)) {
            after = null;
            waitsFor = null;
            return true;
        }
        if (waitsFor == null) {
            waitsFor = "its delivery starts at " + cursor.describe(first) + ", not right after " + cursor.describe(after)
                    + ": waiting for the source to deliver from there";
            LOG.log(Level.INFO, "Partition {0}: {1} (the previous owner''s read-ahead, sent before the broker rewinds)",
                    partition, waitsFor);
        }
        return false;
    }

    /**
     * Whether the source confirms that nothing lies between the restored position and {@code first}. Until its
     * answer has come, the delivery is dropped (it stays unacknowledged) and {@link #check} asks for it again.
     */
    private boolean nothingBetween(byte[] first) {
        if (askedBetween == null || !Arrays.equals(askedBetween, first)
                || answerBetween.isCompletedExceptionally()) {
            askedBetween = first;
            answerBetween = cursor.nothingBetween(partition, after, first).toCompletableFuture().orTimeout(5, TimeUnit.SECONDS);
        }
        return answerBetween.getNow(false);
    }

    /**
     * Called now and then on the partition's queue ({@code queue}): asks the source to deliver again when the
     * delivery has not gone on from the restored position for a while, and it either brought something else or
     * the source holds more. A source that holds nothing more is simply quiet. Each time, first asks where the
     * subscription is acknowledged: past the restored position, the partition is {@link Events#stale}.
     */
    void check(Executor queue) {
        long now = clock.getAsLong();
        if (after == null || askingSource || now < nextRedeliveryAt) {
            return;
        }
        askingSource = true;
        byte[] from = after;
        cursor.acknowledgedBeyond(partition, from).toCompletableFuture().orTimeout(5, TimeUnit.SECONDS)
                .whenComplete((beyond, e) -> queue.execute(() -> {
                    if (after == null) {
                        askingSource = false;
                    } else if (e == null && beyond.isPresent()) {
                        events.stale("the subscription is acknowledged at " + beyond.get() + ", past where this state stands, "
                                + cursor.describe(from) + ": another consumer ran it on meanwhile");
                    } else if (waitsFor != null) {
                        askingSource = false;
                        redeliver(clock.getAsLong());
                    } else {
                        askIfCaughtUp(queue, from);
                    }
                }));
    }

    private void askIfCaughtUp(Executor queue, byte[] from) {
        cursor.caughtUp(partition, from).toCompletableFuture().orTimeout(5, TimeUnit.SECONDS)
                .whenComplete((caughtUp, e) -> queue.execute(() -> {
                    askingSource = false;
                    if (after != null && e == null && !caughtUp) {
                        waitsFor = "nothing delivered right after " + cursor.describe(from) + ", though the source holds"
                                + " more after " + cursor.describe(from);
                        redeliver(clock.getAsLong());
                    } else {
                        nextRedeliveryAt = clock.getAsLong() + FIRST_REDELIVERY_MILLIS;
                    }
                }));
    }

    private void redeliver(long now) {
        long waited = now - since;
        redeliveryPause = Math.min(redeliveryPause * 2, MAX_REDELIVERY_PAUSE_MILLIS);
        nextRedeliveryAt = now + redeliveryPause;
        boolean stalled = waited >= STALL_MILLIS;
        LOG.log(stalled ? Level.ERROR : Level.WARNING, "Partition {0} is not processed: {1}, for {2} s; asked the source"
                + " to deliver it again from the acknowledged position, and asks again in {3} s{4}", partition, waitsFor,
                waited / 1000, redeliveryPause / 1000,
                stalled ? " (transaction or replication markers in the topic look like a gap to this check)" : "");
        cursor.redeliver(partition);
        events.redeliveryRequested();
    }

    /** Whether the delivery went on from the right position: the partition processes what comes. */
    boolean started() {
        return after == null;
    }

    /** Why nothing is processed yet; empty once the delivery went on from the right position. */
    Optional<String> waitsFor() {
        return Optional.ofNullable(waitsFor);
    }
}
