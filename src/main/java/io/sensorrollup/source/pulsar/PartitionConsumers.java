package io.sensorrollup.source.pulsar;

import io.smallrye.reactive.messaging.pulsar.PulsarClientService;
import io.quarkus.arc.profile.UnlessBuildProfile;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import jakarta.inject.Inject;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.impl.ConsumerImpl;
import org.apache.pulsar.client.impl.MultiTopicsConsumerImpl;
import org.jboss.logging.Logger;

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
     * Raises the consumer epoch of {@code partition} while another consumer is active for it. The client drops what
     * it holds of the partition and asks for a redelivery, which the broker refuses from a consumer that is not
     * active but records the epoch: what it sends this consumer from then on, the delivery from the acknowledged
     * position when the partition comes back, carries the new one.
     *
     * <p>Only while inactive: to an active consumer the broker rewinds its cursor, and a read it has in progress
     * then still moves the read position past messages it sends in the old epoch, which the client drops, so the
     * new epoch misses them (Pulsar 4.0.7; PartitionHandBackIT).
     *
     * <p>Only while connected: between a reconnect's subscription, which tells the broker the epoch, and its
     * answer, the client raises its epoch without telling the broker, then drops everything the broker sends in
     * the old one, for good (apache/pulsar#20032; dev/chaos seed 8108: a partition stopped after a broker restart).
     * The client's lock orders this against that answer. Reconnecting, the epoch stays: the reconnect drops what
     * the client held, and the partition's next task takes nothing that does not follow its restored position.
     *
     * @return the epoch from now on, which {@link PulsarReadingsChannel#generation} reads off each message
     */
    long fence(int partition) {
        return of(partition).map(consumer -> {
            synchronized (consumer) {
                redeliverIfConnected(consumer, partition);
                return consumer.getConsumerEpoch();
            }
        }).orElse(Long.MIN_VALUE); // no consumer yet: nothing was delivered that could be left over
    }

    /**
     * Asks the broker to deliver {@code partition} again from the acknowledged position, in a newer epoch; it does
     * so only while this consumer is the active one. Connected only, as {@link #fence}.
     */
    void redeliver(int partition) {
        of(partition).ifPresent(consumer -> {
            synchronized (consumer) {
                redeliverIfConnected(consumer, partition);
            }
        });
    }

    private static void redeliverIfConnected(ConsumerImpl<byte[]> consumer, int partition) {
        if (consumer.isConnected()) {
            consumer.redeliverUnacknowledgedMessages();
        } else {
            LOG.infof("Partition %d: its consumer reconnects, which delivers it again; not asked once more", partition);
        }
    }
}
