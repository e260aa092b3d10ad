package io.sensorrollup.source.pulsar;

import io.quarkus.runtime.ShutdownEvent;
import io.sensorrollup.source.DeadLetters;
import io.smallrye.reactive.messaging.pulsar.PulsarClientService;
import io.quarkus.arc.profile.UnlessBuildProfile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.Schema;
import org.jboss.logging.Logger;

/**
 * {@code <topic>-dlq}: one producer for the whole pod, created on the first rejected reading. Each partition
 * keeps its own sends since its last flush, so a lost dead letter fails the checkpoint of its own partition.
 */
@ApplicationScoped
@UnlessBuildProfile("embedded")
public class PulsarDeadLetters implements DeadLetters {

    private static final Logger LOG = Logger.getLogger(PulsarDeadLetters.class);
    /** Pulsar's default, said here because a replaced producer is closed only once its sends have all timed out. */
    private static final int SEND_TIMEOUT_SECONDS = 30;

    private final PulsarClientService clients;
    private final String topic;
    private volatile CompletableFuture<Producer<byte[]>> producer;
    private final Map<Integer, Queue<DeadLetter>> unflushed = new ConcurrentHashMap<>();

    @Inject
    PulsarDeadLetters(PulsarClientService clients, PulsarSourceConfig config) {
        this(clients, config.topic());
    }

    PulsarDeadLetters(PulsarClientService clients, String readingsTopic) {
        this.clients = clients;
        this.topic = readingsTopic + "-dlq";
    }

    public String topic() {
        return topic;
    }

    @Override
    public void send(int partition, byte[] payload, int offset, int length, String error, byte[] sourcePosition) {
        byte[] original = offset == 0 && length == payload.length ? payload : Arrays.copyOfRange(payload, offset, offset + length);
        unflushed.computeIfAbsent(partition, p -> new ConcurrentLinkedQueue<>())
                .add(new DeadLetter(original, error, PulsarCursor.messageId(sourcePosition).toString(), partition).send());
    }

    /**
     * Completes when every dead letter of the partition sent since the last flush is stored. One that was not
     * is sent again, by a new producer, and fails this flush, so the checkpoint waiting on it does not acknowledge its source
     * message; the next checkpoint's flush waits for the new attempt.
     */
    @Override
    public CompletionStage<Void> flush(int partition) {
        Queue<DeadLetter> sends = unflushed.get(partition);
        List<DeadLetter> pending = new ArrayList<>();
        for (DeadLetter sent; sends != null && (sent = sends.poll()) != null; ) {
            pending.add(sent);
        }
        CompletableFuture<?>[] outcomes = pending.stream().map(letter -> letter.sent.handle((id, e) -> {
            if (e != null) {
                replace(letter.via);
                sends.add(letter.send());
                throw new CompletionException("a dead letter of partition " + partition + " was not stored on " + topic, e);
            }
            return id;
        })).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(outcomes);
    }

    private final class DeadLetter {
        final byte[] payload;
        final String error;
        final String sourceMessageId;
        final int partition;
        CompletableFuture<?> sent;
        CompletableFuture<Producer<byte[]>> via;

        DeadLetter(byte[] payload, String error, String sourceMessageId, int partition) {
            this.payload = payload;
            this.error = error;
            this.sourceMessageId = sourceMessageId;
            this.partition = partition;
        }

        DeadLetter send() {
            via = producer();
            sent = via.thenCompose(p -> p.newMessage().value(payload).property(ERROR, error)
                    .property(SOURCE_MESSAGE_ID, sourceMessageId).sendAsync());
            sent.whenComplete((id, e) -> {
                if (e != null) {
                    LOG.errorf(e, "Could not store a rejected reading of partition %d on %s", partition, topic);
                }
            });
            return this;
        }
    }

    /**
     * The producer, created on the first letter without blocking the partition's thread. A creation that fails
     * (no broker) fails the letters waiting on it, hence their partition's checkpoint, and the next letter
     * tries again.
     */
    private CompletableFuture<Producer<byte[]>> producer() {
        CompletableFuture<Producer<byte[]>> current = producer;
        if (current == null || current.isCompletedExceptionally()) {
            synchronized (this) {
                if (producer == null || producer.isCompletedExceptionally()) {
                    // the readings channel's client: one connection pool per pod
                    producer = clients.getClient(PulsarReadingsChannel.CHANNEL).newProducer(Schema.BYTES)
                            .topic(topic)
                            // a rejected reading may be as large as the broker allows; with its two
                            // properties it may not fit one message: chunks do, and chunking excludes batching
                            .sendTimeout(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                            .enableBatching(false)
                            .enableChunking(true)
                            // never wait for the client's memory for pending messages: a send made on the
                            // partition's thread or, for a retry, on the client's own thread that failed the
                            // last attempt would wait for memory that only the client's threads free (a hung
                            // broker then hangs the checkpoint); a full queue fails the letter, hence the flush
                            .blockIfQueueFull(false)
                            .createAsync();
                }
                current = producer;
            }
        }
        return current;
    }

    /**
     * A producer whose send failed is not trusted with the retry: after a broker restart, a Pulsar producer can
     * stay connected and time out every send (apache/pulsar#15559), which would fail the partition's
     * checkpoints for ever. The retry goes through a new one.
     */
    private synchronized void replace(CompletableFuture<Producer<byte[]>> failed) {
        if (failed != null && producer == failed) {
            producer = null;
            // not at once: a producer closing on a hung broker stops timing out its pending sends, which
            // would hang the flushes waiting on them (PulsarDeadLettersIT); by then they have all completed
            CompletableFuture.delayedExecutor(2 * SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .execute(() -> failed.thenAccept(Producer::closeAsync));
        }
    }

    void close(@Observes ShutdownEvent ignored) {
        CompletableFuture<Producer<byte[]>> current = producer;
        if (current != null) {
            current.thenAccept(Producer::closeAsync);
        }
    }
}
