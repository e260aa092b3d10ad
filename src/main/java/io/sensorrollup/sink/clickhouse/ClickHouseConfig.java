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

    /** From the environment ({@code CLICKHOUSE_PASSWORD}) or a file ({@code CLICKHOUSE_PASSWORD_FILE}), never a committed file. */
    Optional<String> password();

    /** A file holding the password (a mounted secret), instead of {@code CLICKHOUSE_PASSWORD}; read at start-up. */
    Optional<java.nio.file.Path> passwordFile();

    /** PEM bundle of the CAs that sign an {@code https://} server's certificate; empty: the JVM's default trust store. */
    Optional<java.nio.file.Path> caFile();

    @WithDefault("rollup")
    @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]*", message = "must be a plain identifier")
    String database();
}
