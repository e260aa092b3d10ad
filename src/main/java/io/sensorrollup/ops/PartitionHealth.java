package io.sensorrollup.ops;

import io.sensorrollup.partition.PartitionTask;
import io.sensorrollup.partition.PartitionTasks;
import io.sensorrollup.partition.RecoveryLog;
import io.sensorrollup.source.pulsar.PulsarTopicAdmin;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;

/**
 * The partitions' share of health: started and ready once Pulsar has said, for every partition of the
 * topic, whether this pod owns it, and every owned partition is restored (a pod restoring after a restart
 * or a hand-over takes no traffic yet, and a rolling update must not move on to the next pod before this
 * one works); alive while every restored partition's queue still answers (a stuck processor gets the pod
 * restarted; its partitions replay from checkpoints).
 */
@ApplicationScoped
class PartitionHealth {

    private static final long QUEUE_ANSWER_SECONDS = 30;

    private final PartitionTasks partitions;
    private final Instance<PulsarTopicAdmin> topic;
    private final RecoveryLog recoveries;

    PartitionHealth(PartitionTasks partitions, Instance<PulsarTopicAdmin> topic, RecoveryLog recoveries) {
        this.partitions = partitions;
        this.topic = topic;
        this.recoveries = recoveries;
    }

    @Startup
    HealthCheck started() {
        return () -> restored("partitions-restored");
    }

    @Readiness
    HealthCheck ready() {
        return () -> restored("partitions-restored");
    }

    @Liveness
    HealthCheck alive() {
        return () -> {
            List<Integer> stuck = new ArrayList<>();
            for (PartitionTask task : partitions.tasks()) {
                if (!isDone(task)) {
                    continue; // restoring: a download may take long and is not a hang
                }
                try {
                    task.withProcessor(p -> p.watermark()).toCompletableFuture().get(QUEUE_ANSWER_SECONDS, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    stuck.add(task.partition());
                } catch (Exception droppedMeanwhile) {
                    // not ours any more: not a liveness problem
                }
            }
            return HealthCheckResponse.named("partition-processors").status(stuck.isEmpty())
                    .withData("owned", partitions.owned().toString())
                    .withData("stuck", stuck.toString()).build();
        };
    }

    private HealthCheckResponse restored(String name) {
        List<Integer> restoring = new ArrayList<>();
        var response = HealthCheckResponse.named(name);
        for (PartitionTask task : partitions.tasks()) {
            if (!isDone(task)) {
                restoring.add(task.partition());
                // why it takes: the checkpoint store is down, or the state is behind the acknowledged position
                task.restoreWaitsFor().ifPresent(why -> response.withData("partition-" + task.partition(), why));
            } else {
                // restored, but the source has not yet delivered from its position
                task.startWaitsFor().ifPresent(why -> {
                    restoring.add(task.partition());
                    response.withData("partition-" + task.partition(), why);
                });
            }
        }
        // which pod had each running partition, from which checkpoint, and how long it stood still
        recoveries.running().forEach((p, how) -> response.withData("running-" + p, how));
        List<Integer> unassigned = unassigned();
        return response.status(restoring.isEmpty() && unassigned.isEmpty())
                .withData("owned", partitions.owned().toString())
                .withData("restoring", restoring.toString())
                .withData("unassigned", unassigned.toString()).build();
    }

    /** Partitions of the topic Pulsar has not yet given to this pod or to another (the in-process source gives all at once). */
    private List<Integer> unassigned() {
        List<Integer> unassigned = new ArrayList<>();
        if (topic.isResolvable()) {
            Set<Integer> heardOf = partitions.heardOf();
            for (int p = 0; p < topic.get().topicPartitions(); p++) {
                if (!heardOf.contains(p)) {
                    unassigned.add(p);
                }
            }
        }
        return unassigned;
    }

    private static boolean isDone(PartitionTask task) {
        CompletableFuture<Void> restored = task.restored().toCompletableFuture();
        return restored.isDone() && !restored.isCompletedExceptionally();
    }
}
