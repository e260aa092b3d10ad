package io.sensorrollup.partition;

import io.sensorrollup.checkpoint.CompletedCheckpoint;
import io.sensorrollup.checkpoint.PartitionCheckpointer;
import io.sensorrollup.source.RawBatch;
import io.sensorrollup.state.BatchResult;
import io.sensorrollup.state.OutboxEntry;
import io.sensorrollup.state.PartitionProcessor;
import io.sensorrollup.state.Rejected;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One partition this pod owns: restored from its newest checkpoint, fed batch after batch on its serial
 * queue, and checkpointed on its own. A checkpoint takes a consistent snapshot between two batches and commits
 * it off the queue, one in flight at a time ({@link TaskCheckpoints}).
 *
 * <p>What of a batch is processed, {@link DeliveryFilter} decides. Batches that arrive while the partition
 * restores wait for it, and their stages stay incomplete, so the source holds this partition back. It processes as
 * soon as its state is open, while its claim uploads ({@link TaskCheckpoints#claim}). A restore that
 * cannot reach the checkpoint store is tried again with backoff for as long as it takes, and says why meanwhile.
 *
 * <p>Once dropped (the partition moved away, or the pod stops) the task does nothing more: it claims,
 * checkpoints and acknowledges nothing, and {@link #drop()} completes only when its state is closed and no
 * checkpoint of it is in flight, so the partition's next task on this pod finds its directories free.
 */
public final class PartitionTask {

    /** Where a task says that it cannot go on. */
    interface Owner {

        /**
         * Another writer committed a checkpoint of the partition, or its state failed: the messages the source
         * handed to this task are gone from this process.
         */
        void lost(PartitionTask task);

        /**
         * The restored state is not the newest: it is behind the subscription's acknowledged position, so its
         * delivery will never go on (nothing was processed from it), or the claim lost to a checkpoint the previous
         * owner committed meanwhile (what was processed from it is dropped: none of it was committed or acknowledged).
         * The partition restores its newest checkpoint again.
         */
        void stale(PartitionTask task);
    }

    private static final System.Logger LOG = System.getLogger(PartitionTask.class.getName());

    private final int partition;
    private final TaskContext runtime;
    private final SerialExecutor serial;
    private final Owner owner;
    private final LocalCheckpoints local;
    private final TaskCheckpoints checkpoints;
    private final AtomicInteger queued = new AtomicInteger();
    private final IdleAdvance idle;
    private final CompletableFuture<Void> restored = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final CompletionStage<?> previousClosed;
    private volatile boolean dropped;
    /** Messages this task processed (written on the partition's queue only): what its hand-over line reports. */
    private volatile long processedHere;
    private final OutboxRoom outboxRoom;
    private final RestoreBackoff backoff;
    /** Batches of older generations are left-overs of the partition's earlier turn on this pod. */
    private final long firstGeneration;
    private final boolean again;

    // touched on the serial queue only
    private PartitionProcessor processor;
    private PartitionCheckpointer checkpointer;
    private final ArrayDeque<Runnable> heldUntilRestored = new ArrayDeque<>();
    /** Set by the restore: nothing is processed until the delivery goes on right after the restored position. */
    private volatile DeliveryFilter delivery;

    /**
     * Starts restoring once {@code previousClosed} completes (the partition's previous task on this pod, which
     * used the same directories), on the partition's queue.
     *
     * @param owner told when the partition turns out to be someone else's or its state failed or went stale
     * @param firstGeneration the source's delivery this task starts with: older batches are left-overs of the
     *     partition's earlier turn here, before the source fenced it, and come again in this one
     * @param again whether it replaces a stale task of this pod, so the source goes on where that one stopped and
     *     is asked at once to deliver from the acknowledged position, instead of rewinding by itself
     */
    PartitionTask(int partition, TaskContext runtime, Owner owner, CompletionStage<?> previousClosed,
            long firstGeneration, boolean again) {
        this.partition = partition;
        this.firstGeneration = firstGeneration;
        this.again = again;
        this.runtime = runtime;
        this.serial = new SerialExecutor(runtime.compute());
        this.owner = owner;
        this.local = new LocalCheckpoints(runtime.stateDir(), partition);
        this.checkpoints = new TaskCheckpoints(partition, runtime, serial, local,
                new TaskCheckpoints.Task(() -> processor, () -> checkpointer, () -> dropped, () -> owner.lost(this),
                        () -> owner.stale(this)));
        this.previousClosed = previousClosed;
        this.outboxRoom = new OutboxRoom(runtime.maxOutbox());
        this.backoff = new RestoreBackoff(partition);
        this.idle = new IdleAdvance(partition, runtime);
        // listing, verifying and claiming the checkpoint wait on the store: every partition restores side by side
        previousClosed.whenComplete((ok, e) -> serial.execute(() -> restore(1, System.nanoTime()), runtime.io()));
    }

    public int partition() {
        return partition;
    }

    /** Completes when the partition's state is restored (or failed to be). */
    public CompletionStage<Void> restored() {
        return restored;
    }

    /** Completes once the partition is restored and its claim has landed, whatever its outcome. */
    CompletionStage<Void> claimed() {
        return restored.thenCompose(ok -> checkpoints.claimLanded());
    }

    /** Why the restore has not finished yet, while it waits for the checkpoint store or refuses a stale state. */
    public Optional<String> restoreWaitsFor() {
        return Optional.ofNullable(restored.isDone() ? null : backoff.waitsFor());
    }

    /**
     * Queues a batch. The returned stage completes at once while the queue is short, the partition restored and
     * the outbox within its limit; otherwise when this batch is processed and the sink has made room in the
     * outbox: the source holds the partition back meanwhile, so a slow or absent sink fills neither the heap
     * nor the disk.
     */
    public CompletionStage<Void> submit(RawBatch batch) {
        if (batch.generation() < firstGeneration) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        boolean queueLong = queued.incrementAndGet() > runtime.maxQueued();
        boolean restoring = !restored.isDone();
        serial.execute(() -> {
            Runnable step = () -> process(batch, done);
            if (processor == null && !dropped) {
                heldUntilRestored.add(step);
            } else {
                step.run();
            }
        });
        if (queueLong) {
            return done.thenCompose(processed -> outboxRoom.stage());
        }
        return restoring ? done : outboxRoom.stage();
    }

    /** Rows waiting in the outbox for the sink, as of the last batch or confirmation. */
    public long outboxRows() {
        return outboxRoom.rows();
    }

    /** The oldest {@code max} rows of the outbox, read on the partition's queue. */
    public CompletionStage<List<OutboxEntry>> oldestUnconfirmed(int max) {
        return withProcessor(p -> p.readOutbox(-1, max));
    }

    /**
     * Deletes outbox rows through {@code seq}: every sink has stored them. Frees the source when the
     * outbox is back within its limit.
     */
    public CompletionStage<Void> confirmWritten(long seq) {
        return withProcessor(p -> {
            p.deleteOutboxThrough(seq);
            updateOutboxRows();
            return null;
        });
    }

    /** See {@link IdleAdvance}. */
    public void advanceIdle() {
        if (dropped || queued.get() > 0 || !restored.isDone() || !idle.startAsking()) {
            return;
        }
        serial.execute(() -> idle.ask(processor, () -> dropped || queued.get() > 0, serial::execute, this::updateOutboxRows));
    }

    /**
     * Takes a checkpoint unless one is in flight or nothing changed since the last. Completes with
     * the committed checkpoint, or empty when none was needed.
     */
    public CompletionStage<Optional<CompletedCheckpoint>> checkpoint() {
        return checkpoints.take(CheckpointKind.PERIODIC, false);
    }

    /**
     * Takes a checkpoint now, after the one in flight if there is one, kept as part of savepoint {@code name}
     * until the savepoint is deleted. Completes empty when the partition has processed nothing yet.
     */
    public CompletionStage<Optional<CompletedCheckpoint>> savepoint(String name) {
        return checkpoints.take(CheckpointKind.savepoint(name), true);
    }

    /**
     * The last checkpoint before the pod stops: waits for the one in flight, then checkpoints what was processed
     * since and acknowledges it, so the partition's next owner restores exactly this state.
     */
    public CompletionStage<Optional<CompletedCheckpoint>> finalCheckpoint() {
        return checkpoints.take(CheckpointKind.HAND_OVER, true).thenCompose(taken -> taken.isPresent()
                ? CompletableFuture.completedFuture(taken)
                : checkpoints.acknowledgeCommitted().thenApply(ignored -> taken)).thenApply(taken -> {
                    // the old owner's half of the hand-over line; the new owner's RUNNING line names the same checkpoint
                    LOG.log(Level.INFO, "Partition {0} handed over: {1} readings processed here since it was assigned,"
                            + " all in {2}", partition, Long.toString(processedHere), taken.map(c -> "checkpoint " + c.checkpointId())
                            .orElse("its last checkpoint (nothing new since)"));
                    return taken;
                });
    }

    /**
     * Stops processing; queued batches are dropped, the local state is closed (another pod restores from the
     * store). Completes when the state is closed and no checkpoint of the partition is in flight.
     */
    public CompletionStage<Void> drop() {
        if (!dropped) {
            runtime.events().dropped(partition);
        }
        dropped = true;
        outboxRoom.release();
        serial.execute(() -> {
            heldUntilRestored.forEach(Runnable::run); // they find the task dropped and complete
            heldUntilRestored.clear();
            if (processor != null) {
                processor.close();
                processor = null;
            }
            checkpoints.noneInFlight().thenCombine(previousClosed.handle((ok, e) -> null), (a, b) -> null)
                    .thenRun(() -> closed.complete(null));
        });
        return closed;
    }

    /** Runs {@code action} with the processor on the partition's queue (for the sink and the query API). */
    public <T> CompletionStage<T> withProcessor(Function<PartitionProcessor, T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        serial.execute(() -> {
            if (dropped || processor == null) {
                result.completeExceptionally(new IllegalStateException("partition " + partition + " is not owned here"));
                return;
            }
            try {
                result.complete(action.apply(processor));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private void restore(int attempt, long started) {
        try {
            Optional<RestoreAndClaim.Restored> done = new RestoreAndClaim(partition, runtime, local).attempt(() -> dropped);
            if (done.isEmpty()) {
                return; // dropped meanwhile
            }
            delivery = new DeliveryFilter(partition, runtime.cursor(), done.get().startsAfter(), runtime.wallClock(),
                    !again, deliveryEvents());
            processor = done.get().processor();
            checkpointer = done.get().checkpointer();
            done.get().from().ifPresent(checkpoints::restoredFrom);
            done.get().claim().ifPresent(claim -> checkpoints.claim(claim, done.get().from().orElseThrow()));
            updateOutboxRows();
            runtime.events().restored(partition, done.get().from(),
                    done.get().times().withTotal(Duration.ofNanos(System.nanoTime() - started)));
            restored.complete(null);
            heldUntilRestored.forEach(Runnable::run);
            heldUntilRestored.clear();
        } catch (IOException | RestoreRefusedException e) {
            retryRestore(attempt, started, e);
        } catch (RuntimeException e) {
            restored.completeExceptionally(e);
            fail("restoring", e);
        }
    }

    private void retryRestore(int attempt, long started, Exception why) {
        long pause = backoff.failed(attempt, why);
        runtime.events().restoreWaiting(partition, backoff.waitsFor());
        CompletableFuture.delayedExecutor(pause, TimeUnit.MILLISECONDS, runtime.io()).execute(() -> serial.execute(() -> {
            if (!dropped) {
                restore(attempt + 1, started);
            }
        }, runtime.io()));
    }

    private void process(RawBatch batch, CompletableFuture<Void> done) {
        try {
            if (!dropped) {
                processFresh(batch);
                updateOutboxRows();
            }
        } catch (RuntimeException e) {
            fail("processing a batch", e);
        } finally {
            queued.decrementAndGet();
            done.complete(null);
        }
    }

    private void processFresh(RawBatch batch) {
        RawBatch fresh = delivery.toProcess(batch, processor.position());
        if (fresh == null) {
            return;
        }
        BatchResult result = processor.process(fresh);
        processedHere += result.messages();
        runtime.events().processed(partition, result);
        for (Rejected rejected : result.rejected()) {
            runtime.deadLetters().send(partition, rejected.payload(), rejected.offset(), rejected.length(),
                    rejected.reason(), rejected.position());
        }
    }

    private DeliveryFilter.Events deliveryEvents() {
        return new DeliveryFilter.Events() {
            @Override
            public void redeliveryRequested() {
                runtime.events().redeliveryRequested(partition);
            }

            @Override
            public void replayed(int count) {
                runtime.events().replayed(partition, count);
            }

            @Override
            public void stale(String why) {
                LOG.log(Level.WARNING, "Partition {0} has a stale state: {1}; restoring its newest checkpoint", partition, why);
                owner.stale(PartitionTask.this);
            }
        };
    }

    /** See {@link DeliveryFilter#check}. */
    void checkDelivery() {
        DeliveryFilter current = delivery;
        if (!dropped && current != null && !current.started()) {
            serial.execute(() -> current.check(serial::execute));
        }
    }

    /** Why the partition, restored, processes nothing yet; empty when it runs. */
    public Optional<String> startWaitsFor() {
        DeliveryFilter current = delivery;
        return current == null ? Optional.empty() : current.waitsFor();
    }

    private void updateOutboxRows() {
        if (processor != null) {
            outboxRoom.update(processor.outboxBacklog());
        }
    }

    private void fail(String what, Exception e) {
        LOG.log(Level.ERROR, "Partition " + partition + " failed " + what + "; dropping it so that it restarts from its last checkpoint", e);
        dropped = true;
        owner.lost(this);
    }
}
