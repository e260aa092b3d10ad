package io.sensorrollup.source.pulsar;

import io.sensorrollup.source.PartitionHandler;
import io.smallrye.common.annotation.Identifier;
import io.quarkus.arc.profile.UnlessBuildProfile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.BatchReceivePolicy;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.ConsumerEventListener;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;
import org.apache.pulsar.client.api.SubscriptionType;
import org.apache.pulsar.client.impl.conf.ConsumerConfigurationData;

/**
 * What the readings channel's consumer needs beyond its configuration properties: a Failover
 * subscription whose active-consumer changes tell the {@link PartitionHandler} which partitions this
 * pod owns, a new subscription that starts at the earliest retained message (CONTRACT §4), and the
 * partitions the topic had when it subscribed, none added later (CONTRACT §6). The
 * connector merges this object, found by the channel's name, under the channel's properties.
 */
@ApplicationScoped
@UnlessBuildProfile("embedded")
class PulsarConsumerSetup {

    /**
     * Readings are plain bytes. Without this the connector falls back to AUTO_CONSUME, which asks the
     * broker for the topic's schema at subscribe and wraps every message in a generic record.
     */
    @Produces
    @Identifier(PulsarReadingsChannel.CHANNEL)
    Schema<byte[]> readingsSchema() {
        return Schema.BYTES;
    }

    @Produces
    @Identifier(PulsarReadingsChannel.CHANNEL)
    ConsumerConfigurationData<byte[]> readingsConsumer(PartitionHandler handler) {
        ConsumerConfigurationData<byte[]> conf = new ConsumerConfigurationData<>();
        conf.setSubscriptionType(SubscriptionType.Failover);
        conf.setSubscriptionInitialPosition(SubscriptionInitialPosition.Earliest);
        // the partition count is fixed while the service runs (CONTRACT §6): partitions added later would move
        // devices between partitions; TopicPartitionWatch reports them instead
        conf.setAutoUpdatePartitions(false);
        conf.setBatchReceivePolicy(BatchReceivePolicy.builder()
                .maxNumMessages(2_000)
                .maxNumBytes(8 << 20)
                .timeout(50, TimeUnit.MILLISECONDS)
                .build());
        conf.setConsumerEventListener(new ConsumerEventListener() {
            @Override
            public void becameActive(Consumer<?> consumer, int partition) {
                handler.assigned(partition);
            }

            @Override
            public void becameInactive(Consumer<?> consumer, int partition) {
                handler.revoked(partition);
            }
        });
        return conf;
    }
}
