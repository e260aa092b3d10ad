package io.sensorrollup.ops;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Mutating API calls need {@code Authorization: Bearer <rollup.api.token>} or
 * {@code Authorization: Basic <rollup.api.user:rollup.api.password>}. With neither configured they are refused.
 * With {@code rollup.api.read-auth=true} reads need the same; then start-up stops unless credentials are configured.
 */
@ApplicationScoped
@Startup // checks rollup.api.read-auth at start-up, not at the first request
class ApiCredentials {

    private final List<byte[]> accepted = new ArrayList<>();
    private final boolean readAuth;

    @Inject
    ApiCredentials(ApiConfig config) {
        this(config.token(), config.user(), config.password(), config.readAuth());
    }

    ApiCredentials(Optional<String> token, Optional<String> user, Optional<String> password, boolean readAuth) {
        token.filter(t -> !t.isBlank()).ifPresent(t -> accepted.add(bytes("Bearer " + t)));
        if (user.filter(u -> !u.isBlank()).isPresent() && password.filter(p -> !p.isBlank()).isPresent()) {
            accepted.add(bytes("Basic " + Base64.getEncoder().encodeToString(bytes(user.get() + ":" + password.get()))));
        }
        if (readAuth && accepted.isEmpty()) {
            throw new IllegalArgumentException("rollup.api.read-auth=true needs credentials to accept: set rollup.api.token"
                    + " (ROLLUP_API_TOKEN) or rollup.api.user and rollup.api.password");
        }
        this.readAuth = readAuth;
    }

    /** For a read: the credentials of {@link #require} when {@code rollup.api.read-auth} is on, nothing otherwise. */
    void requireForRead(String authorization) {
        if (readAuth) {
            require(authorization);
        }
    }

    void require(String authorization) {
        if (accepted.isEmpty()) {
            throw refused("mutating calls are disabled: set rollup.api.token (ROLLUP_API_TOKEN) or rollup.api.user and"
                    + " rollup.api.password");
        }
        byte[] given = authorization == null ? new byte[0] : bytes(authorization.trim());
        boolean ok = false;
        for (byte[] credential : accepted) {
            ok |= MessageDigest.isEqual(credential, given);
        }
        if (!ok) {
            throw refused("credentials required: a bearer token or basic auth");
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static WebApplicationException refused(String why) {
        return new WebApplicationException(Response.status(Response.Status.UNAUTHORIZED)
                .header("WWW-Authenticate", "Bearer realm=\"sensor-rollup\", Basic realm=\"sensor-rollup\"")
                .entity(Map.of("error", why)).build());
    }
}
