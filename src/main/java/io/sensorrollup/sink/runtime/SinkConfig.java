package io.sensorrollup.sink.runtime;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;
import jakarta.validation.constraints.NotEmpty;
import java.util.Set;

/** {@code rollup.sink=clickhouse|postgresql|clickhouse,postgresql} (CONTRACT §5). */
@ConfigMapping(prefix = "rollup.sink")
public interface SinkConfig {

    enum Kind {
        clickhouse, postgresql
    }

    @WithParentName
    @NotEmpty
    Set<Kind> kinds();

    default boolean writesTo(Kind kind) {
        return kinds().contains(kind);
    }
}
