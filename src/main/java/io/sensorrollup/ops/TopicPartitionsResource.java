package io.sensorrollup.ops;

import io.sensorrollup.partition.PartitionTask;
import io.sensorrollup.partition.PartitionTasks;
import io.sensorrollup.source.pulsar.PulsarSourceConfig;
import io.sensorrollup.source.pulsar.PulsarTopicAdmin;
import io.sensorrollup.source.pulsar.SubscriptionStats;
import io.sensorrollup.source.pulsar.SubscriptionStats.PartitionSubscription;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code GET /api/topic/partitions}: every partition of the topic, those other pods own included, with its owner
 * as the broker's subscription statistics name it (the active consumer of the Failover subscription) and, for the
 * partitions of this pod, whether it restores or runs. Read-only: one call to the broker's admin API per request.
 */
@Path("/api/topic/partitions")
@Produces(MediaType.APPLICATION_JSON)
public class TopicPartitionsResource {

    /** {@code ASSIGNED}: the broker delivers it to another pod, whose own console says whether it runs. */
    public enum State {
        RESTORING, RUNNING, ASSIGNED, UNASSIGNED, UNKNOWN
    }

    /**
     * @param owner     the pod the broker delivers the partition to (this one for its own partitions)
     * @param detail    why a partition of this pod is not running yet
     * @param consumers the pods connected to the partition, the owner and its standbys
     * @param backlog   messages not acknowledged yet; null when the broker did not answer
     */
    public record Row(int partition, String owner, State state, String detail, List<String> consumers, Long backlog) {
    }

    /** @param brokerError why the other pods' partitions are UNKNOWN; null when the broker answered */
    public record Topic(String topic, String subscription, String pod, List<Row> partitions, String brokerError) {
    }

    private final PartitionTasks partitions;
    private final Instance<SubscriptionStats> stats;
    private final Instance<PulsarTopicAdmin> admin;
    private final PulsarSourceConfig source;
    private final String pod;

    TopicPartitionsResource(PartitionTasks partitions, Instance<SubscriptionStats> stats, Instance<PulsarTopicAdmin> admin,
            PulsarSourceConfig source, @ConfigProperty(name = "mp.messaging.incoming.readings.consumerName") String pod) {
        this.partitions = partitions;
        this.stats = stats;
        this.admin = admin;
        this.source = source;
        this.pod = pod;
    }

    @GET
    public Topic topic() {
        Map<Integer, PartitionSubscription> broker = Map.of();
        String brokerError = null;
        if (stats.isResolvable()) { // the embedded profile has no broker: its in-process source gives every partition here
            try {
                broker = stats.get().read();
            } catch (IOException e) {
                brokerError = "Pulsar admin at " + admin.get().endpoint() + " did not answer: " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                brokerError = "interrupted";
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int p = 0; p < count(broker); p++) {
            Optional<PartitionTask> task = partitions.get(p);
            PartitionSubscription subscription = broker.get(p);
            Long backlog = subscription == null ? null : subscription.backlog();
            List<String> consumers = subscription == null ? List.of() : subscription.consumers();
            if (task.isPresent()) {
                Optional<String> waits = waitsFor(task.get());
                rows.add(new Row(p, pod, waits.isPresent() ? State.RESTORING : State.RUNNING, waits.orElse(null), consumers,
                        backlog));
            } else if (subscription != null && subscription.activeConsumer() != null) {
                rows.add(new Row(p, subscription.activeConsumer(), State.ASSIGNED, null, consumers, backlog));
            } else {
                rows.add(new Row(p, null, brokerError == null ? State.UNASSIGNED : State.UNKNOWN, null, consumers, backlog));
            }
        }
        return new Topic(source.topic(), source.subscription(), pod, rows, brokerError);
    }

    private int count(Map<Integer, PartitionSubscription> broker) {
        int count = admin.isResolvable() ? admin.get().topicPartitions() : 0;
        for (int p : partitions.heardOf()) {
            count = Math.max(count, p + 1);
        }
        for (int p : broker.keySet()) {
            count = Math.max(count, p + 1);
        }
        return count;
    }

    /** Why an owned partition is not running: still restoring, or restored and waiting for its delivery to go on. */
    private static Optional<String> waitsFor(PartitionTask task) {
        CompletableFuture<Void> restored = task.restored().toCompletableFuture();
        if (!restored.isDone() || restored.isCompletedExceptionally()) {
            return Optional.of(task.restoreWaitsFor().orElse("restoring"));
        }
        return task.startWaitsFor();
    }
}
