package io.sensorrollup.source.pulsar;

import io.sensorrollup.source.PartitionHandler;
import io.sensorrollup.source.RawBatch;
import io.smallrye.reactive.messaging.pulsar.PulsarIncomingBatchMessage;
import io.quarkus.arc.profile.UnlessBuildProfile;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageIdAdv;
import org.apache.pulsar.client.impl.MessageImpl;
import org.apache.pulsar.client.impl.TopicMessageImpl;
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
        this.holdBack = new PartitionHoldBack(consumers::pause, consumers::resume, consumers::partitions);
    }

    @Incoming(CHANNEL)
    public CompletionStage<Void> consume(PulsarIncomingBatchMessage<byte[]> batch) {
        long arrival = System.currentTimeMillis();
        // a batch interleaves partitions, in runs of one partition's messages
        PartitionRuns runs = new PartitionRuns();
        // the connector has already copied every payload out of Pulsar's buffer: take those, not a second copy
        Iterator<byte[]> payloads = batch.getPayload().iterator();
        String lastTopic = null;
        int partition = -1;
        for (Message<byte[]> message : batch.unwrap()) {
            String topic = message.getTopicName();
            if (!topic.equals(lastTopic)) {
                partition = PartitionTopics.partitionOf(topic);
                lastTopic = topic;
            }
            MessageIdAdv id = (MessageIdAdv) message.getMessageId();
            runs.add(partition, generation(message), id, payloads.next(), arrival, message.getPublishTime());
        }
        CompletableFuture<?>[] stages = new CompletableFuture<?>[runs.size()];
        for (int i = 0; i < stages.length; i++) {
            RawBatch run = runs.batch(i);
            stages[i] = holdBack.track(runs.partition(i), run.bytes(), handler.accept(runs.partition(i), run).toCompletableFuture());
        }
        return CompletableFuture.allOf(stages);
    }

    /**
     * The consumer epoch the broker stamped on the message: it grows with each fence of its partition. A broker
     * that stamps none (older than 2.10) cannot tell left-overs apart: its messages are all taken.
     */
    static long generation(Message<byte[]> message) {
        Message<byte[]> inner = message instanceof TopicMessageImpl<byte[]> wrapped ? wrapped.getMessage() : message;
        long epoch = inner instanceof MessageImpl<byte[]> impl ? impl.getConsumerEpoch() : -1;
        return epoch < 0 ? Long.MAX_VALUE : epoch;
    }
}
