package io.sensorrollup.ops;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** {@code rollup.api.*} */
@ConfigMapping(prefix = "rollup.api")
public interface ApiConfig {

    /** Bearer token for mutating calls; from the environment ({@code ROLLUP_API_TOKEN}) or a secret, never a committed file. */
    Optional<String> token();
}
