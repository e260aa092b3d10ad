package io.sensorrollup.sink.postgres;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Pattern;

/** {@code rollup.postgres.*}; the connection itself is {@code quarkus.datasource.*}. */
@ConfigMapping(prefix = "rollup.postgres")
public interface PostgresConfig {

    /** A name that is safe to quote into SQL as it is. */
    String PLAIN_IDENTIFIER = "[A-Za-z_][A-Za-z0-9_]{0,62}";

    /** The schema that holds {@code sensor_aggregates}; created at start-up when missing. */
    @WithDefault("public")
    @Pattern(regexp = PLAIN_IDENTIFIER, message = "must be a plain identifier (letters, digits, _; at most 63)")
    String schema();

    /** A file holding {@code quarkus.datasource.password} (a mounted secret), instead of {@code PG_PASSWORD}; read at start-up. */
    java.util.Optional<java.nio.file.Path> passwordFile();
}
