package io.sensorrollup.source.pulsar;

import io.quarkus.runtime.ShutdownEvent;
import io.sensorrollup.source.DeadLetters;
import io.smallrye.reactive.messaging.pulsar.PulsarClientService;
import io.quarkus.arc.profile.UnlessBuildProfile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.Schema;
import org.jboss.logging.Logger;

/** {@code <topic>-dlq}: one producer for the whole pod, created on the first rejected reading. */
@ApplicationScoped
@UnlessBuildProfile("embedded")
public class PulsarDeadLetters implements DeadLetters {

    private static final Logger LOG = Logger.getLogger(PulsarDeadLetters.class);

    private final PulsarClientService clients;
    private final String topic;
    private volatile Producer<byte[]> producer;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    PulsarDeadLetters(PulsarClientService clients, PulsarSourceConfig config) {
        this.clients = clients;
        this.topic = config.topic() + "-dlq";
    }

    public String topic() {
        return topic;
    }

    @Override
    public void send(byte[] payload, int offset, int length, String error, byte[] sourcePosition) {
        byte[] original = offset == 0 && length == payload.length ? payload : Arrays.copyOfRange(payload, offset, offset + length);
        producer().newMessage()
                .value(original)
                .property(ERROR, error)
                .property(SOURCE_MESSAGE_ID, PulsarCursor.messageId(sourcePosition).toString())
                .sendAsync()
                .whenComplete((id, e) -> {
                    if (e != null) {
                        LOG.errorf(e, "Could not store a rejected reading on %s", topic);
                        failure.compareAndSet(null, e);
                    }
                });
    }

    @Override
    public CompletionStage<Void> flush() {
        Producer<byte[]> current = producer;
        if (current == null) {
            return CompletableFuture.completedFuture(null);
        }
        // a lost dead letter must fail the checkpoint, or its source message would be acknowledged
        return current.flushAsync().thenRun(() -> {
            Throwable lost = failure.getAndSet(null);
            if (lost != null) {
                throw new CompletionException("a dead letter was not stored on " + topic, lost);
            }
        });
    }

    private Producer<byte[]> producer() {
        Producer<byte[]> current = producer;
        if (current == null) {
            synchronized (this) {
                if (producer == null) {
                    try {
                        // the readings channel's client: one connection pool per pod
                        PulsarClient client = clients.getClient(PulsarReadingsChannel.CHANNEL);
                        producer = client.newProducer(Schema.BYTES)
                                .topic(topic)
                                // a rejected reading may be as large as the broker allows; with its two
                                // properties it may not fit one message: chunks do, and chunking excludes batching
                                .enableBatching(false)
                                .enableChunking(true)
                                .blockIfQueueFull(true)
                                .create();
                    } catch (PulsarClientException e) {
                        throw new IllegalStateException("cannot create the dead-letter producer on " + topic, e);
                    }
                }
                current = producer;
            }
        }
        return current;
    }

    void close(@Observes ShutdownEvent ignored) {
        if (producer != null) {
            producer.closeAsync();
        }
    }
}
