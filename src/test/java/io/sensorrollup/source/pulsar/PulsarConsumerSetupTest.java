package io.sensorrollup.source.pulsar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sensorrollup.source.PartitionHandler;
import io.sensorrollup.source.RawBatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pulsar.client.impl.conf.ConsumerConfigurationData;
import org.junit.jupiter.api.Test;

class PulsarConsumerSetupTest {

    private final ConsumerConfigurationData<byte[]> conf = PulsarConsumerSetup.configuration(new PartitionHandler() {
        @Override
        public void assigned(int partition) {
        }

        @Override
        public void revoked(int partition) {
        }

        @Override
        public CompletionStage<Void> accept(int partition, RawBatch batch) {
            return CompletableFuture.completedFuture(null);
        }
    }, 16 * 8);

    @Test
    void eachPartitionAsksTheBrokerForSixteenMessagesAhead() {
        assertEquals(16 * 8, conf.getMaxTotalReceiverQueueSizeAcrossPartitions());
        assertEquals(PulsarConsumerSetup.BATCH_BYTES, conf.getBatchReceivePolicy().getMaxNumBytes());
    }

    /**
     * dev/chaos, seed 7105: with auto-scaled queues, client 3.3.0 counts the partitions' queued bytes below zero
     * (apache/pulsar#23622); after a broker restart the reconnect failed on the negative release, the broker gave
     * the partition to another pod, and this one exited to replay.
     */
    @Test
    void queuesAreNotAutoScaled() {
        assertFalse(conf.isAutoScaledReceiverQueueSizeEnabled());
    }
}
