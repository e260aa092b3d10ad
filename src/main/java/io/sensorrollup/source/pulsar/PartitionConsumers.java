package io.sensorrollup.source.pulsar;

import io.smallrye.reactive.messaging.pulsar.PulsarClientService;
import io.quarkus.arc.profile.UnlessBuildProfile;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
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

    private final PulsarClientService clients;
    private final PulsarSourceConfig config;

    PartitionConsumers(PulsarClientService clients, PulsarSourceConfig config) {
        this.clients = clients;
        this.config = config;
    }

    /** The channel's consumer of the whole topic; empty before the channel subscribed or after it closed. */
    Optional<Consumer<byte[]>> topic() {
        return Optional.ofNullable(clients.getConsumer(PulsarReadingsChannel.CHANNEL));
    }

    /** The consumer of one partition; empty while there is none (not subscribed yet, or closed). */
    Optional<ConsumerImpl<byte[]>> of(int partition) {
        String name = PartitionTopics.partitionName(config.topic(), partition);
        Optional<Consumer<byte[]>> whole = topic();
        if (whole.isPresent() && whole.get() instanceof MultiTopicsConsumerImpl<byte[]> multi) {
            for (ConsumerImpl<byte[]> consumer : multi.getConsumers()) {
                if (consumer.getTopic().equals(name)) {
                    return Optional.of(consumer);
                }
            }
        }
        return Optional.empty();
    }

    /** Stops asking the broker for more messages of {@code partition}; what is prefetched still arrives. */
    void pause(int partition) {
        of(partition).ifPresent(ConsumerImpl::pause);
    }

    void resume(int partition) {
        of(partition).ifPresent(ConsumerImpl::resume);
    }
}
