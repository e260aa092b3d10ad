package io.sensorrollup.ops;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code rollup.startup.*} */
@ConfigMapping(prefix = "rollup.startup")
public interface StartupConfig {

    /** How long start-up waits for a dependency to answer before it fails naming it. */
    @WithDefault("60s")
    Duration dependencyTimeout();
}
