package io.sensorrollup.source.pulsar;

import io.smallrye.reactive.messaging.pulsar.PulsarClientService;
import java.util.Set;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;

/** The connector's client service around a client and, optionally, the readings channel's consumer. */
final class TestClientService implements PulsarClientService {

    private final PulsarClient client;
    private final Consumer<byte[]> readings;

    TestClientService(PulsarClient client, Consumer<byte[]> readings) {
        this.client = client;
        this.readings = readings;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> Consumer<T> getConsumer(String channel) {
        return (Consumer<T>) readings;
    }

    @Override
    public <T> Producer<T> getProducer(String channel) {
        throw new UnsupportedOperationException("the service has no producer channel");
    }

    @Override
    public PulsarClient getClient(String channel) {
        return client;
    }

    @Override
    public Set<String> getConsumerChannels() {
        return readings == null ? Set.of() : Set.of(PulsarReadingsChannel.CHANNEL);
    }

    @Override
    public Set<String> getProducerChannels() {
        return Set.of();
    }
}
