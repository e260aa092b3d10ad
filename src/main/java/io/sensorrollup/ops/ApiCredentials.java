package io.sensorrollup.ops;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Mutating API calls need {@code Authorization: Bearer <rollup.api.token>} (set it from the
 * environment, {@code ROLLUP_API_TOKEN}, or a Kubernetes secret). Without a configured token they are refused.
 */
@ApplicationScoped
class ApiCredentials {

    private final Optional<String> token;

    ApiCredentials(ApiConfig config) {
        this.token = config.token().filter(t -> !t.isBlank());
    }

    void require(String authorization) {
        if (token.isEmpty()) {
            throw refused("mutating calls are disabled: set rollup.api.token (ROLLUP_API_TOKEN)");
        }
        String expected = "Bearer " + token.get();
        if (authorization == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                authorization.getBytes(StandardCharsets.UTF_8))) {
            throw refused("a bearer token is required");
        }
    }

    private static WebApplicationException refused(String why) {
        return new WebApplicationException(Response.status(Response.Status.UNAUTHORIZED)
                .header("WWW-Authenticate", "Bearer realm=\"sensor-rollup\"")
                .entity(java.util.Map.of("error", why)).build());
    }
}
