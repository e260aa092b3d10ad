package io.sensorrollup.ops;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * {@code rollup.api.*}: credentials for mutating calls (and, with {@link #readAuth()}, for reads), from the
 * environment or a secret, never a committed file.
 */
@ConfigMapping(prefix = "rollup.api")
public interface ApiConfig {

    /** Bearer token ({@code ROLLUP_API_TOKEN}). */
    Optional<String> token();

    /** Basic-auth user and password ({@code ROLLUP_API_USER}, {@code ROLLUP_API_PASSWORD}), for tools that cannot send a token. */
    Optional<String> user();

    Optional<String> password();

    /** A file holding the token (a mounted secret), instead of {@code ROLLUP_API_TOKEN}; read at start-up. */
    Optional<java.nio.file.Path> tokenFile();

    /** A file holding the password, instead of {@code ROLLUP_API_PASSWORD}; read at start-up. */
    Optional<java.nio.file.Path> passwordFile();

    /**
     * {@code rollup.api.read-auth}: reads under {@code /api} (device windows with customer, site and position data,
     * partitions, checkpoints, savepoints) need the same credentials as mutating calls. Off by default, as Flink's REST
     * API; health ({@code /q/health}) and metrics ({@code /q/metrics}) stay open either way.
     */
    @WithDefault("false")
    boolean readAuth();
}
