package io.sensorrollup.sink.clickhouse;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Pattern;
import java.util.Optional;

/** {@code rollup.clickhouse.*}: the password only from the environment or a Kubernetes secret. */
@ConfigMapping(prefix = "rollup.clickhouse")
public interface ClickHouseConfig {

    @WithDefault("http://127.0.0.1:8123")
    @Pattern(regexp = "https?://.+", message = "must be an http:// or https:// URL")
    String url();

    @WithDefault("default")
    String user();

    Optional<String> password();

    @WithDefault("rollup")
    @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]*", message = "must be a plain identifier")
    String database();
}
