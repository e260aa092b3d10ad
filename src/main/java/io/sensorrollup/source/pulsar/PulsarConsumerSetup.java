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

    /** About 2 700 readings of the generator's 390 bytes, or one large message. */
    static final int BATCH_BYTES = 1 << 20;

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
    ConsumerConfigurationData<byte[]> readingsConsumer(PartitionHandler handler, PulsarSourceConfig source) {
        return configuration(handler, source.receiveQueuePerPartition() * source.partitions());
    }

    static ConsumerConfigurationData<byte[]> configuration(PartitionHandler handler, int receiveQueueAcrossPartitions) {
        ConsumerConfigurationData<byte[]> conf = new ConsumerConfigurationData<>();
        // each partition's queue is this total divided by the topic's partitions (MultiTopicsConsumerImpl)
        conf.setMaxTotalReceiverQueueSizeAcrossPartitions(receiveQueueAcrossPartitions);
        conf.setSubscriptionType(SubscriptionType.Failover);
        conf.setSubscriptionInitialPosition(SubscriptionInitialPosition.Earliest);
        // the partition count is fixed while the service runs (CONTRACT §6): partitions added later would move
        // devices between partitions; TopicPartitionWatch reports them instead
        conf.setAutoUpdatePartitions(false);
        // Not auto-scaled: in client 3.3.0 that feature drives the partitions' message-size counters negative
        // (apache/pulsar#23622, fixed in 3.3.3), and a reconnect then fails on the negative release, so the broker
        // hands the partition to another pod (found by dev/chaos after a broker restart).
        conf.setBatchReceivePolicy(BatchReceivePolicy.builder()
                .maxNumMessages(2_000)
                .maxNumBytes(BATCH_BYTES)
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
