package io.sensorrollup.sink.runtime;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.Set;

/**
 * {@code rollup.sink=clickhouse|postgresql|clickhouse,postgresql} (CONTRACT §5), or {@code log} to try the
 * service without a database; and how the outbox is drained. ({@code rollup.sink.max-outbox} is read by
 * the partitions, which hold the source back.)
 */
@ConfigMapping(prefix = "rollup.sink")
public interface SinkConfig {

    enum Kind {
        clickhouse, postgresql, log
    }

    @WithParentName
    @NotEmpty
    Set<Kind> kinds();

    /** Rows per write; a partition writes as soon as it has this many. */
    @WithDefault("10000")
    @Positive
    int batchSize();

    /** How long a closed window may wait for its batch to fill. */
    @WithDefault("2s")
    Duration maxDelay();

    /** The pause after the first failed write, doubled after each further failure up to {@link #maxRetryBackoff()}. */
    @WithDefault("200ms")
    Duration retryBackoff();

    @WithDefault("10s")
    Duration maxRetryBackoff();

    default boolean writesTo(Kind kind) {
        return kinds().contains(kind);
    }
}
