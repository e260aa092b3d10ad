package io.sensorrollup.ops;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** {@code rollup.api.*}: credentials for mutating calls, from the environment or a secret, never a committed file. */
@ConfigMapping(prefix = "rollup.api")
public interface ApiConfig {

    /** Bearer token ({@code ROLLUP_API_TOKEN}). */
    Optional<String> token();

    /** Basic-auth user and password ({@code ROLLUP_API_USER}, {@code ROLLUP_API_PASSWORD}), for tools that cannot send a token. */
    Optional<String> user();

    Optional<String> password();
}
