package io.sensorrollup.ops;

import io.quarkus.runtime.ShutdownEvent;
import io.sensorrollup.partition.PartitionTasks;
import io.sensorrollup.source.PartitionHandler;
import io.sensorrollup.source.RawBatch;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Alternative;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@link PartitionHandler} the source sees: holds what the source says about partitions (assigned,
 * revoked, batches), in order, until the checkpoint store is prepared, then passes it all on to the
 * {@link PartitionTasks}. Without the store no partition can restore, and before the partition count is
 * verified none may process. A held batch keeps the source from pulling more, as a full partition does.
 */
@Alternative
@Priority(1)
@ApplicationScoped
class CheckpointStoreGate implements PartitionHandler {

    private final PartitionTasks tasks;
    private final List<Runnable> held = new ArrayList<>();
    private final List<CompletableFuture<Void>> heldBatches = new ArrayList<>();
    private boolean open;
    private boolean closing;

    CheckpointStoreGate(PartitionTasks tasks) {
        this.tasks = tasks;
    }

    /** The store is prepared: passes on what was held, then everything as it comes. */
    void open() {
        synchronized (this) {
            held.forEach(Runnable::run); // each returns at once: the tasks hand work to their own queues
            held.clear();
            heldBatches.clear();
            open = true;
        }
    }

    @Override
    public void assigned(int partition) {
        pass(() -> tasks.assigned(partition));
    }

    @Override
    public void revoked(int partition) {
        pass(() -> tasks.revoked(partition));
    }

    @Override
    public CompletionStage<Void> accept(int partition, RawBatch batch) {
        synchronized (this) {
            if (!open) {
                CompletableFuture<Void> accepted = new CompletableFuture<>();
                if (closing) {
                    accepted.complete(null); // unacknowledged: the next owner gets it from the broker
                    return accepted;
                }
                heldBatches.add(accepted);
                held.add(() -> tasks.accept(partition, batch).whenComplete((ok, e) -> {
                    if (e == null) {
                        accepted.complete(null);
                    } else {
                        accepted.completeExceptionally(e);
                    }
                }));
                return accepted;
            }
        }
        return tasks.accept(partition, batch);
    }

    private void pass(Runnable event) {
        synchronized (this) {
            if (!open) {
                held.add(event);
                return;
            }
        }
        event.run();
    }

    /** A pod stopped before the store answered lets the source go: nothing held was processed or acknowledged. */
    void release(@Observes ShutdownEvent ignored) {
        synchronized (this) {
            closing = true;
            heldBatches.forEach(b -> b.complete(null));
            heldBatches.clear();
            held.clear();
        }
    }
}
