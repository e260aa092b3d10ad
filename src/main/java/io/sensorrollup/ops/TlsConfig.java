package io.sensorrollup.ops;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code rollup.tls.*} */
@ConfigMapping(prefix = "rollup.tls")
public interface TlsConfig {

    /** Start-up warns about each configured trusted certificate that expires within this, or has expired. */
    @WithDefault("14d")
    Duration expiryWarning();
}
