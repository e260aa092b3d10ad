package io.sensorrollup.ops;

import io.sensorrollup.checkpoint.Checkpoints;
import io.sensorrollup.checkpoint.TopicPartitionCount;
import io.sensorrollup.checkpoint.runtime.CheckpointConfig;
import io.sensorrollup.checkpoint.runtime.CheckpointStorage;
import io.sensorrollup.source.pulsar.PulsarSourceConfig;
import io.sensorrollup.source.pulsar.PulsarTopicAdmin;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.io.IOException;
import java.util.OptionalInt;
import org.jboss.logging.Logger;

/**
 * What preparing the checkpoint store means: the bucket or directory exists, and the topic has the
 * partition count the store's checkpoints were taken with (recorded by the first start-up).
 */
@ApplicationScoped
class CheckpointStorePreparation {

    private static final Logger LOG = Logger.getLogger(CheckpointStorePreparation.class);

    private final CheckpointStorage storage;
    private final Checkpoints checkpoints;
    private final Instance<PulsarTopicAdmin> pulsar;
    private final PulsarSourceConfig source;
    private final CheckpointConfig config;

    CheckpointStorePreparation(CheckpointStorage storage, Checkpoints checkpoints, Instance<PulsarTopicAdmin> pulsar,
            PulsarSourceConfig source, CheckpointConfig config) {
        this.config = config;
        this.storage = storage;
        this.checkpoints = checkpoints;
        this.pulsar = pulsar;
        this.source = source;
    }

    /**
     * @throws io.sensorrollup.checkpoint.PartitionCountChangedException when the topic's count is not the
     *     recorded one: final, unlike every other failure here
     */
    void prepare() throws IOException, InterruptedException {
        storage.ensureExists();
        if (!pulsar.isResolvable()) {
            return; // the in-process source of the embedded profile has no topic
        }
        // the topic as the broker has it now, not as the consumer will see it later: the Pulsar dependency's
        // preparation may still be creating it
        int partitions = pulsar.get().partitions();
        if (partitions == 0) {
            throw new IOException("topic " + source.topic() + " does not exist yet");
        }
        TopicPartitionCount count = new TopicPartitionCount(checkpoints.store());
        if (rescaling(count, partitions)) {
            return;
        }
        if (count.verify(source.topic(), partitions)) {
            LOG.infof("Recorded the partition count of %s, %d, at %s: a later start-up with another count stops",
                    source.topic(), partitions, checkpoints.store().describe(TopicPartitionCount.KEY));
        }
    }

    /** A topic with more partitions, and a savepoint to start from: {@link SavepointStartup} rescales it. */
    private boolean rescaling(TopicPartitionCount count, int partitions) throws IOException {
        if (config.restoreSavepoint().isEmpty()) {
            return false; // no read of the record here: verify reads it
        }
        OptionalInt recorded = count.recorded();
        if (recorded.isEmpty() || recorded.getAsInt() >= partitions) {
            return false;
        }
        LOG.infof("The topic %s has %d partitions, its checkpoints %d: start-up rescales savepoint %s to the new count",
                source.topic(), partitions, recorded.getAsInt(), config.restoreSavepoint().get());
        return true;
    }
}
