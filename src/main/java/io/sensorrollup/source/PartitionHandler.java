package io.sensorrollup.source;

import java.util.concurrent.CompletionStage;

/**
 * What the source feeds: implemented downstream by whatever owns the partitions' state. The
 * source calls it from its own threads; implementations hand work to each partition's serial
 * executor and return at once.
 */
public interface PartitionHandler {

    /** This pod is now the consumer of {@code partition} (under a Failover subscription Pulsar decides). */
    void assigned(int partition);

    /** Another pod now consumes {@code partition}: stop processing and checkpointing it. */
    void revoked(int partition);

    /**
     * The next messages of one partition, in arrival order. The source pulls nothing more until the
     * returned stage completes: completing it late is how a full partition pushes back.
     */
    CompletionStage<Void> accept(int partition, RawBatch batch);
}
