package io.sensorrollup.source.pulsar;

import io.sensorrollup.source.PartitionHandler;
import io.sensorrollup.source.RawBatch;
import io.smallrye.reactive.messaging.pulsar.PulsarIncomingBatchMessage;
import io.quarkus.arc.profile.UnlessBuildProfile;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pulsar.client.api.Message;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The readings channel: batches from the partitioned topic, split by partition and handed on in
 * arrival order. Acknowledgement is not the channel's business: a partition's cursor moves only
 * when a checkpoint covering its messages is durable ({@link PulsarCursor}).
 *
 * <p>A partition that cannot take more yet (restoring, its queue long or its outbox full) is held back on
 * its own ({@link PartitionHoldBack}); the channel goes on with the others, and waits for that partition
 * only when it keeps receiving messages it was asked not to send.
 */
@ApplicationScoped
@UnlessBuildProfile("embedded")
public class PulsarReadingsChannel {

    public static final String CHANNEL = "readings";

    private final PartitionHandler handler;
    private final PartitionHoldBack holdBack;

    PulsarReadingsChannel(PartitionHandler handler, PartitionConsumers consumers) {
        this.handler = handler;
        this.holdBack = new PartitionHoldBack(consumers::pause, consumers::resume);
    }

    @Incoming(CHANNEL)
    public CompletionStage<Void> consume(PulsarIncomingBatchMessage<byte[]> batch) {
        long arrival = System.currentTimeMillis();
        // a batch interleaves partitions; each partition's messages keep their order
        Map<Integer, RawBatch> byPartition = new TreeMap<>();
        // the connector has already copied every payload out of Pulsar's buffer: take those, not a second copy
        Iterator<byte[]> payloads = batch.getPayload().iterator();
        String lastTopic = null;
        RawBatch partitionBatch = null;
        for (Message<byte[]> message : batch.unwrap()) {
            String topic = message.getTopicName();
            if (!topic.equals(lastTopic)) { // a batch comes in runs of one partition's messages
                partitionBatch = byPartition.computeIfAbsent(PartitionTopics.partitionOf(topic), p -> new RawBatch());
                lastTopic = topic;
            }
            partitionBatch.add(payloads.next(), message.getMessageId().toByteArray(), arrival, message.getPublishTime());
        }
        return CompletableFuture.allOf(byPartition.entrySet().stream()
                .map(e -> holdBack.track(e.getKey(), e.getValue().bytes(),
                        handler.accept(e.getKey(), e.getValue()).toCompletableFuture()))
                .toArray(CompletableFuture[]::new));
    }
}
