package io.sensorrollup.partition.runtime;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Positive;

/**
 * {@code rollup.sink.max-outbox}: rows a partition's outbox may hold while the sink is behind or down;
 * past it the partition stops taking readings until the sink catches up. Read here, not by the sink,
 * because the partition's task is what makes the source wait.
 */
@ConfigMapping(prefix = "rollup.sink")
public interface OutboxLimitConfig {

    @WithDefault("100000")
    @Positive
    long maxOutbox();
}
