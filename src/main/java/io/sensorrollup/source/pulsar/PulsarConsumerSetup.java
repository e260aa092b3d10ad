package io.sensorrollup.source.pulsar;

import io.sensorrollup.source.PartitionHandler;
import io.smallrye.reactive.messaging.ClientCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.BatchReceivePolicy;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.ConsumerBuilder;
import org.apache.pulsar.client.api.ConsumerEventListener;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;
import org.apache.pulsar.client.api.SubscriptionType;
import org.eclipse.microprofile.config.Config;

/**
 * What the readings channel's consumer needs beyond its configuration: a Failover subscription
 * whose active-consumer changes tell the {@link PartitionHandler} which partitions this pod owns,
 * and a new subscription that starts at the earliest retained message (CONTRACT §4).
 */
@ApplicationScoped
public class PulsarConsumerSetup implements ClientCustomizer<ConsumerBuilder<?>> {

    private final PartitionHandler handler;

    PulsarConsumerSetup(PartitionHandler handler) {
        this.handler = handler;
    }

    @Override
    public ConsumerBuilder<?> customize(String channel, Config channelConfig, ConsumerBuilder<?> builder) {
        if (!PulsarReadingsChannel.CHANNEL.equals(channel)) {
            return builder;
        }
        return builder.subscriptionType(SubscriptionType.Failover)
                .subscriptionInitialPosition(SubscriptionInitialPosition.Earliest)
                .batchReceivePolicy(BatchReceivePolicy.builder()
                        .maxNumMessages(2_000)
                        .maxNumBytes(8 << 20)
                        .timeout(50, TimeUnit.MILLISECONDS)
                        .build())
                .consumerEventListener(new ConsumerEventListener() {
                    @Override
                    public void becameActive(Consumer<?> consumer, int partition) {
                        handler.assigned(partition);
                    }

                    @Override
                    public void becameInactive(Consumer<?> consumer, int partition) {
                        handler.revoked(partition);
                    }
                });
    }
}
