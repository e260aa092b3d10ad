package io.sensorrollup.source.pulsar;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

/** {@code rollup.source.*}: the Pulsar topic the readings arrive on. */
@ConfigMapping(prefix = "rollup.source")
public interface PulsarSourceConfig {

    /** Fully qualified, persistent and partitioned; created with {@link #partitions()} when missing. */
    @WithDefault("persistent://public/default/sensor-readings")
    @Pattern(regexp = "persistent://[^/\\s]+/[^/\\s]+/[^/\\s]+", message = "must be persistent://tenant/namespace/topic")
    String topic();

    /** The maximum parallelism: one pod processes at least one whole partition. */
    @WithDefault("8")
    @Min(1)
    @Max(1024)
    int partitions();

    /** Failover subscription shared by every pod of the service. */
    @WithDefault("sensor-rollup")
    String subscription();

    /** How often the service asks the broker whether the topic's partition count changed (it is fixed: CONTRACT §6). */
    @WithDefault("30s")
    java.time.Duration partitionCheckInterval();

    /**
     * Messages each partition's consumer may have asked the broker for and not yet handed on. Pulsar counts them,
     * not bytes (its memory limit does not apply to consumers that do not auto-scale, and auto-scaling never
     * shrinks a partitioned topic's partitions), so this bounds a held-back partition's prefetch at this many times
     * the largest message: 16 of the broker's 5 MB maximum are 80 MB, 16 ordinary readings 6 KB (the broker sends
     * a producer's batch as one entry).
     */
    @WithDefault("16")
    @Min(2)
    @Max(10_000)
    int receiveQueuePerPartition();

    /**
     * The producers' {@code hashingScheme}: which partition a device's readings go to. Only a rescale reads it, to
     * move each open window to the partition its device's readings go to under the new count.
     */
    @WithDefault("JavaStringHash")
    org.apache.pulsar.client.api.HashingScheme keyHashingScheme();

    /** Pulsar admin REST endpoint, for creating the topic and the health check. */
    @WithDefault("http://127.0.0.1:18080")
    String adminUrl();
}
