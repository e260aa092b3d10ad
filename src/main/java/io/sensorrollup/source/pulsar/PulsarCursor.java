package io.sensorrollup.source.pulsar;

import io.sensorrollup.source.SourceCursor;
import io.smallrye.reactive.messaging.pulsar.PulsarClientService;
import io.quarkus.arc.profile.UnlessBuildProfile;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionStage;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.MessageId;

/** Positions are serialized Pulsar MessageIds; acknowledgement is cumulative, per partition. */
@ApplicationScoped
@UnlessBuildProfile("embedded")
public class PulsarCursor implements SourceCursor {

    private final PulsarClientService clients;
    private final PulsarSourceConfig config;

    PulsarCursor(PulsarClientService clients, PulsarSourceConfig config) {
        this.clients = clients;
        this.config = config;
    }

    @Override
    public CompletionStage<Void> acknowledgeThrough(int partition, byte[] position) {
        Consumer<byte[]> consumer = clients.getConsumer(PulsarReadingsChannel.CHANNEL);
        try {
            // a consumer of a partitioned topic routes an ack by the topic the id names
            MessageId id = MessageId.fromByteArrayWithTopic(position, PartitionTopics.partitionName(config.topic(), partition));
            return consumer.acknowledgeCumulativeAsync(id);
        } catch (IOException e) {
            throw new UncheckedIOException("not a Pulsar message id", e);
        }
    }

    @Override
    public int compare(byte[] a, byte[] b) {
        return messageId(a).compareTo(messageId(b));
    }

    @Override
    public String describe(byte[] position) {
        return messageId(position).toString();
    }

    static MessageId messageId(byte[] position) {
        try {
            return MessageId.fromByteArray(position);
        } catch (IOException e) {
            throw new UncheckedIOException("not a Pulsar message id", e);
        }
    }
}
