package io.sensorrollup.source.pulsar;

import io.smallrye.reactive.messaging.pulsar.PulsarClientService;
import io.quarkus.arc.profile.UnlessBuildProfile;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.impl.ConsumerImpl;
import org.apache.pulsar.client.impl.MultiTopicsConsumerImpl;

/**
 * The readings channel's consumer of one partition. The connector subscribes to the partitioned topic as a
 * whole; pausing one partition and asking for its newest message need the per-partition consumer inside.
 */
@ApplicationScoped
@UnlessBuildProfile("embedded")
public class PartitionConsumers {

    private static final Logger LOG = Logger.getLogger(PartitionConsumers.class);

    private final PulsarClientService clients;
    private final String topic;

    @Inject
    PartitionConsumers(PulsarClientService clients, PulsarSourceConfig config) {
        this(clients, config.topic());
    }

    PartitionConsumers(PulsarClientService clients, String topic) {
        this.clients = clients;
        this.topic = topic;
    }

    /** The channel's consumer of the whole topic; empty before the channel subscribed or after it closed. */
    Optional<Consumer<byte[]>> topic() {
        return Optional.ofNullable(clients.getConsumer(PulsarReadingsChannel.CHANNEL));
    }

    /** The consumer of one partition; empty while there is none (not subscribed yet, or closed). */
    Optional<ConsumerImpl<byte[]>> of(int partition) {
        String name = PartitionTopics.partitionName(topic, partition);
        return partitionConsumers().stream().filter(c -> c.getTopic().equals(name)).findFirst();
    }

    /** The partitions the channel's consumer reads (none before it subscribed or after it closed). */
    Set<Integer> partitions() {
        Set<Integer> partitions = new TreeSet<>();
        partitionConsumers().forEach(c -> partitions.add(PartitionTopics.partitionOf(c.getTopic())));
        return partitions;
    }

    private List<ConsumerImpl<byte[]>> partitionConsumers() {
        Optional<Consumer<byte[]>> whole = topic();
        return whole.isPresent() && whole.get() instanceof MultiTopicsConsumerImpl<byte[]> multi ? multi.getConsumers() : List.of();
    }

    /** Stops asking the broker for more messages of {@code partition}; what is prefetched still arrives. */
    void pause(int partition) {
        of(partition).ifPresent(ConsumerImpl::pause);
    }

    void resume(int partition) {
        of(partition).ifPresent(ConsumerImpl::resume);
    }

    /**
     * Pulsar's redelivery of a Failover consumer: the client drops what it holds of the partition and raises the
     * consumer's epoch; the broker stamps what it sends from then on with the new epoch, from the acknowledged
     * position on. What the channel had already taken keeps the old one.
     *
     * @return the new epoch, which {@link PulsarReadingsChannel#generation} reads off each message
     */
    long rewind(int partition) {
        return of(partition).map(consumer -> {
            long before = consumer.getConsumerEpoch();
            consumer.redeliverUnacknowledgedMessages();
            long after = consumer.getConsumerEpoch();
            if (after <= before) {
                LOG.warnf("Partition %d could not be rewound (its consumer is reconnecting): it goes on from its last delivery", partition);
            }
            return after;
        }).orElse(Long.MIN_VALUE); // no consumer yet: nothing was delivered that could be left over
    }
}
