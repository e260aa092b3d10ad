package io.sensorrollup.partition;

import io.sensorrollup.checkpoint.Checkpoints;
import io.sensorrollup.checkpoint.CompletedCheckpoint;
import io.sensorrollup.source.PartitionHandler;
import io.sensorrollup.source.RawBatch;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The partitions this pod owns, one {@link PartitionTask} each. Pulsar's Failover subscription
 * decides ownership. A message from a partition this pod never had is taken as proof of ownership
 * too, since the active-consumer event and the first messages travel different paths (Pulsar sends the event
 * just before the first messages, and the client hands them to different threads).
 *
 * <p>A partition taken away is fenced ({@link io.sensorrollup.source.SourceCursor#fence}): what Pulsar delivered
 * of it before is of an older generation, and is dropped (it stays unacknowledged, and the broker delivers it
 * again from the cursor to whichever consumer is active). When Pulsar hands it back, it delivers it here again
 * from the acknowledged position in the fence's generation: a message of that generation is proof of ownership
 * even before the event that says so, and the new task skips anything older.
 *
 * <p>A partition has at most one live task here: the task of a partition taken away is dropped before its
 * removal is visible, and a partition handed back starts its new task's restore only once the old task has
 * closed its state and finished its checkpoint in flight (they share the partition's directories).
 * Ownership changes and task creation happen under this object's lock, so a revocation cannot slip between
 * the check and the creation of a task.
 */
public final class PartitionTasks implements PartitionHandler {

    private static final System.Logger LOG = System.getLogger(PartitionTasks.class.getName());

    private final TaskContext runtime;
    private final Runnable onStateLost;
    private final Map<Integer, PartitionTask> owned = new ConcurrentHashMap<>();
    /** Dropped tasks whose state is still closing, by partition. */
    private final Map<Integer, CompletionStage<Void>> closing = new ConcurrentHashMap<>();
    private final Set<Integer> revoked = ConcurrentHashMap.newKeySet();
    /** Per partition taken away at least once, the generation of the source's delivery after its last fence. */
    private final Map<Integer, Long> fencedAt = new ConcurrentHashMap<>();
    /**
     * Partitions whose task failed or was fenced: the messages Pulsar handed to that task are gone from this
     * process, so a new task here would restore the last checkpoint and go on after them. Nothing more of them is
     * taken until the source restarts and Pulsar delivers again from the cursor.
     */
    private final Set<Integer> failed = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;
    private final PartitionTask.Owner owner = new PartitionTask.Owner() {
        @Override
        public void lost(PartitionTask task) {
            PartitionTasks.this.lost(task);
        }

        @Override
        public void stale(PartitionTask task) {
            restoreAgain(task);
        }
    };

    /**
     * @param onStateLost called when a partition's state failed or another writer committed a checkpoint
     *     for it while Pulsar still delivers it here: its unacknowledged messages after the last checkpoint
     *     are gone from this process, and only a restart of the source brings them back
     */
    public PartitionTasks(TaskContext runtime, Runnable onStateLost) {
        this.runtime = runtime;
        this.onStateLost = onStateLost;
    }

    @Override
    public synchronized void assigned(int partition) {
        revoked.remove(partition);
        if (!stopped && !failed.contains(partition) && !owned.containsKey(partition)) {
            task(partition);
        }
    }

    @Override
    public synchronized void revoked(int partition) {
        // the task goes before the fence: a delivery of the fence's generation, which comes at once when the
        // partition is already back (an event heard late), finds no task of the earlier turn and waits for this lock
        PartitionTask task = owned.remove(partition);
        revoked.add(partition);
        fencedAt.put(partition, runtime.cursor().fence(partition));
        if (task != null) {
            LOG.log(Level.INFO, "Partition {0} moved to another consumer: stopped processing it", partition);
            retire(task);
        }
    }

    @Override
    public CompletionStage<Void> accept(int partition, RawBatch batch) {
        PartitionTask task = owned.get(partition);
        if (task == null || stopped) {
            synchronized (this) {
                if (stopped || failed.contains(partition)) {
                    return CompletableFuture.completedFuture(null);
                }
                if (revoked.contains(partition)) {
                    if (batch.generation() < firstGeneration(partition)) {
                        return CompletableFuture.completedFuture(null); // of its turn before it was taken away
                    }
                    revoked.remove(partition); // delivered after the fence: handed back, and the event follows
                }
                task = task(partition);
            }
        }
        return task.submit(batch);
    }

    public Set<Integer> owned() {
        return new TreeSet<>(owned.keySet());
    }

    /** The partitions Pulsar has told this pod about, whether it made the pod their owner or another one. */
    public Set<Integer> heardOf() {
        Set<Integer> heard = new TreeSet<>(owned.keySet());
        heard.addAll(revoked);
        return heard;
    }

    /** The tasks of the partitions owned now. */
    public List<PartitionTask> tasks() {
        return List.copyOf(owned.values());
    }

    public Optional<PartitionTask> get(int partition) {
        return Optional.ofNullable(owned.get(partition));
    }

    /** Checkpoints every owned partition; completes when all are done (failures are logged by each task). */
    public CompletableFuture<Void> checkpointAll() {
        if (stopped) {
            return CompletableFuture.completedFuture(null); // the final checkpoint has been taken or is being taken
        }
        return CompletableFuture.allOf(owned.values().stream()
                .map(t -> t.checkpoint().toCompletableFuture().exceptionally(e -> Optional.empty()))
                .toArray(CompletableFuture[]::new));
    }

    /**
     * The graceful hand-over (SIGTERM): takes no more batches (what arrives later stays unacknowledged, and the
     * partition's next owner gets it from Pulsar after restoring this checkpoint), then for every partition
     * waits for its checkpoint in flight and takes, commits and acknowledges a last one. Completes when all are
     * done; only then may the source, the checkpoint store and the pools close.
     */
    public CompletableFuture<Void> finalCheckpoint() {
        stopped = true;
        return CompletableFuture.allOf(owned.values().stream()
                .map(t -> t.finalCheckpoint().toCompletableFuture().exceptionally(e -> Optional.empty()))
                .toArray(CompletableFuture[]::new));
    }

    /**
     * Takes savepoint {@code name} of each partition of {@code missing} that this pod owns and runs (each partition's
     * part is its own checkpoint, kept until the savepoint is deleted). Completes with the parts taken; a partition
     * that has processed nothing yet has no part, and one whose part failed (it moved away meanwhile, or another
     * pod took the part first) is left to the next attempt.
     */
    public CompletableFuture<List<CompletedCheckpoint>> savepoint(String name, Set<Integer> missing) {
        Checkpoints.checkSavepointName(name);
        if (stopped) {
            return CompletableFuture.completedFuture(List.of());
        }
        List<CompletableFuture<Optional<CompletedCheckpoint>>> parts = owned.values().stream()
                .filter(t -> missing.contains(t.partition()) && isRunning(t))
                .map(t -> t.savepoint(name).toCompletableFuture().exceptionally(e -> {
                    LOG.log(Level.DEBUG, "Partition " + t.partition() + " took no part of savepoint " + name + " now", e);
                    return Optional.empty();
                })).toList();
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> parts.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList());
    }

    private static boolean isRunning(PartitionTask task) {
        CompletableFuture<Void> restored = task.restored().toCompletableFuture();
        return restored.isDone() && !restored.isCompletedExceptionally();
    }

    public void advanceIdleAll() {
        if (!stopped) {
            owned.values().forEach(PartitionTask::advanceIdle);
        }
    }

    /** Lets each partition that waits for its delivery to go on from its restored position ask the source again. */
    public void checkDeliveries() {
        if (!stopped) {
            owned.values().forEach(PartitionTask::checkDelivery);
        }
    }

    /** Drops every partition (at shutdown, after the last checkpoint). */
    public synchronized CompletableFuture<Void> dropAll() {
        stopped = true;
        CompletableFuture<?>[] drops = owned.values().stream().map(t -> t.drop().toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        owned.clear();
        return CompletableFuture.allOf(drops);
    }

    /** Called under the lock. */
    private PartitionTask task(int partition) {
        return owned.computeIfAbsent(partition, p -> {
            LOG.log(Level.INFO, "Partition {0} assigned to this consumer: restoring it", p);
            return newTask(p, false);
        });
    }

    private PartitionTask newTask(int partition, boolean again) {
        CompletionStage<Void> previous = closing.getOrDefault(partition, CompletableFuture.completedFuture(null));
        return new PartitionTask(partition, runtime, owner, previous, firstGeneration(partition), again);
    }

    private long firstGeneration(int partition) {
        return fencedAt.getOrDefault(partition, Long.MIN_VALUE);
    }

    /** Called under the lock. */
    private void retire(PartitionTask task) {
        CompletionStage<Void> closed = task.drop();
        closing.put(task.partition(), closed);
        closed.whenComplete((ok, e) -> closing.remove(task.partition(), closed));
    }

    /**
     * A new task in place of {@code task}, restoring the newest checkpoint once {@code task} has closed its state.
     * Nothing the stale task processed was committed or acknowledged, and the new one asks the source to deliver
     * from the acknowledged position, so none is missed and none counted twice.
     */
    private synchronized void restoreAgain(PartitionTask task) {
        if (owned.remove(task.partition(), task)) {
            retire(task);
            if (!stopped) {
                LOG.log(Level.INFO, "Partition {0}: restoring its newest checkpoint again on this consumer, and asking the"
                        + " source to deliver from the acknowledged position", task.partition());
                owned.put(task.partition(), newTask(task.partition(), true));
            }
        }
    }

    private synchronized void lost(PartitionTask task) {
        if (owned.remove(task.partition(), task)) {
            failed.add(task.partition());
            retire(task);
            onStateLost.run();
        }
    }
}
