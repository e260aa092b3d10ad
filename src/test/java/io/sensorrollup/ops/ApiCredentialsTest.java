package io.sensorrollup.ops;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.WebApplicationException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Mutating calls: a bearer token or basic auth from configuration, 401 otherwise, refused when none is configured. */
class ApiCredentialsTest {

    @Test
    void aBearerTokenOrBasicAuthIsAcceptedAndAnythingElseGets401() {
        ApiCredentials credentials = new ApiCredentials(Optional.of("t0ken"), Optional.of("ops"), Optional.of("s3cret"), false);
        assertDoesNotThrow(() -> credentials.require("Bearer t0ken"));
        assertDoesNotThrow(() -> credentials.require("Basic " + basic("ops:s3cret")));
        for (String wrong : new String[] {null, "", "Bearer nope", "Basic " + basic("ops:nope"), "t0ken", "Bearer t0ken2"}) {
            WebApplicationException e = assertThrows(WebApplicationException.class, () -> credentials.require(wrong), String.valueOf(wrong));
            assertEquals(401, e.getResponse().getStatus());
        }
    }

    @Test
    void withNothingConfiguredEveryMutatingCallIsRefused() {
        ApiCredentials none = new ApiCredentials(Optional.empty(), Optional.of("ops"), Optional.empty(), false);
        assertEquals(401, assertThrows(WebApplicationException.class, () -> none.require("Bearer ")).getResponse().getStatus());
        assertEquals(401, assertThrows(WebApplicationException.class, () -> none.require("Basic " + basic("ops:")))
                .getResponse().getStatus());
    }

    @Test
    void readsAreOpenByDefault() {
        ApiCredentials credentials = new ApiCredentials(Optional.of("t0ken"), Optional.empty(), Optional.empty(), false);
        assertDoesNotThrow(() -> credentials.requireForRead(null));
        ApiCredentials none = new ApiCredentials(Optional.empty(), Optional.empty(), Optional.empty(), false);
        assertDoesNotThrow(() -> none.requireForRead("Bearer whatever"));
    }

    /** Issue 12 item 14. */
    @Test
    void withReadAuthReadsNeedTheSameCredentialsAsMutatingCalls() {
        ApiCredentials credentials = new ApiCredentials(Optional.of("t0ken"), Optional.of("ops"), Optional.of("s3cret"), true);
        assertDoesNotThrow(() -> credentials.requireForRead("Bearer t0ken"));
        assertDoesNotThrow(() -> credentials.requireForRead("Basic " + basic("ops:s3cret")));
        for (String wrong : new String[] {null, "", "Bearer nope", "Basic " + basic("ops:nope")}) {
            WebApplicationException e = assertThrows(WebApplicationException.class, () -> credentials.requireForRead(wrong),
                    String.valueOf(wrong));
            assertEquals(401, e.getResponse().getStatus());
        }
    }

    @Test
    void readAuthWithoutCredentialsStopsStartUpNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ApiCredentials(Optional.empty(), Optional.of("ops"), Optional.empty(), true));
        assertTrue(e.getMessage().contains("rollup.api.read-auth") && e.getMessage().contains("rollup.api.token"), e.getMessage());
    }

    @Test
    void theFilterCoversEveryPathUnderApiAndNothingElse() {
        for (String path : new String[] {"/api", "/api/partitions", "api/devices/x/windows", "/api/savepoints"}) {
            assertTrue(ReadAuthFilter.underApi(path), path);
        }
        for (String path : new String[] {"/q/health", "/q/metrics", "/apis", "/"}) {
            assertFalse(ReadAuthFilter.underApi(path), path);
        }
    }

    private static String basic(String pair) {
        return Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
}
