package io.sensorrollup.checkpoint;

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
 * too, since the active-consumer event and the first messages travel different paths; messages of a
 * partition taken away are dropped until Pulsar hands it back (they stay unacknowledged, and the
 * broker delivers them again from the cursor to whichever consumer is active).
 */
public final class PartitionTasks implements PartitionHandler {

    private static final System.Logger LOG = System.getLogger(PartitionTasks.class.getName());

    private final PartitionRuntime runtime;
    private final Runnable onStateLost;
    private final Map<Integer, PartitionTask> owned = new ConcurrentHashMap<>();
    private final Set<Integer> revoked = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    /**
     * @param onStateLost called when a partition's state failed or another writer committed a checkpoint
     *     for it while Pulsar still delivers it here: its unacknowledged messages after the last checkpoint
     *     are gone from this process, and only a restart of the source brings them back
     */
    public PartitionTasks(PartitionRuntime runtime, Runnable onStateLost) {
        this.runtime = runtime;
        this.onStateLost = onStateLost;
    }

    @Override
    public void assigned(int partition) {
        revoked.remove(partition);
        task(partition);
    }

    @Override
    public void revoked(int partition) {
        revoked.add(partition);
        PartitionTask task = owned.remove(partition);
        if (task != null) {
            LOG.log(Level.INFO, "Partition {0} moved to another consumer: stopped processing it", partition);
            task.drop();
        }
    }

    @Override
    public CompletionStage<Void> accept(int partition, RawBatch batch) {
        if (stopped || revoked.contains(partition)) {
            return CompletableFuture.completedFuture(null);
        }
        return task(partition).submit(batch);
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

    /**
     * Takes no more batches (at shutdown, before the final checkpoint): what arrives later stays
     * unacknowledged, and the partition's next owner gets it from Pulsar after restoring that checkpoint.
     */
    public void stopAccepting() {
        stopped = true;
    }

    /** Checkpoints every owned partition; completes when all are done (failures are logged by each task). */
    public CompletableFuture<Void> checkpointAll() {
        return CompletableFuture.allOf(owned.values().stream()
                .map(t -> t.checkpoint().toCompletableFuture().exceptionally(e -> Optional.empty()))
                .toArray(CompletableFuture[]::new));
    }

    /**
     * Takes savepoint {@code name} of every partition this pod owns (each partition's part is its own
     * checkpoint, kept until the savepoint is deleted). Completes with the parts taken; a partition that
     * has processed nothing yet has no part.
     */
    public CompletableFuture<List<CompletedCheckpoint>> savepointAll(String name) {
        Checkpoints.checkSavepointName(name);
        List<CompletableFuture<Optional<CompletedCheckpoint>>> parts = owned.values().stream()
                .map(t -> t.savepoint(name).toCompletableFuture()).toList();
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> parts.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList());
    }

    public void advanceIdleAll() {
        owned.values().forEach(PartitionTask::advanceIdle);
    }

    /** Drops every partition (at shutdown, after the last checkpoint). */
    public CompletableFuture<Void> dropAll() {
        CompletableFuture<?>[] drops = owned.values().stream().map(t -> t.drop().toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        owned.clear();
        return CompletableFuture.allOf(drops);
    }

    private PartitionTask task(int partition) {
        return owned.computeIfAbsent(partition, p -> {
            LOG.log(Level.INFO, "Partition {0} assigned to this consumer: restoring it", p);
            return new PartitionTask(p, runtime, this::lost);
        });
    }

    private void lost(PartitionTask task) {
        if (owned.remove(task.partition(), task)) {
            task.drop();
            onStateLost.run();
        }
    }
}
