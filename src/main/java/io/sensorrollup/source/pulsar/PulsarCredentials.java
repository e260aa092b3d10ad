package io.sensorrollup.source.pulsar;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The service's Pulsar token, from {@code rollup.pulsar.token-file} (re-read on each use) or {@code rollup.pulsar.token};
 * none when neither is set (a broker without authentication). Its {@link #toString()} never shows the token.
 */
public final class PulsarCredentials {

    static final String TOKEN_FILE = "rollup.pulsar.token-file";
    static final String TOKEN = "rollup.pulsar.token";

    private final Supplier<String> token;

    private PulsarCredentials(Supplier<String> token) {
        this.token = token;
    }

    /** Checks the file now, so a wrong path stops start-up naming the key. */
    public static PulsarCredentials of(Optional<Path> tokenFile, Optional<String> token) {
        if (tokenFile.isPresent() && token.filter(t -> !t.isBlank()).isPresent()) {
            throw new IllegalArgumentException(TOKEN_FILE + " and " + TOKEN + " (PULSAR_TOKEN) are both set: set one");
        }
        if (tokenFile.isPresent()) {
            Path file = tokenFile.get();
            read(file); // fails now, naming the key
            return new PulsarCredentials(() -> read(file));
        }
        return token.filter(t -> !t.isBlank()).map(String::strip).map(t -> new PulsarCredentials(() -> t))
                .orElseGet(() -> new PulsarCredentials(null));
    }

    static PulsarCredentials of(PulsarSecurityConfig config) {
        return of(config.tokenFile(), config.token());
    }

    public boolean present() {
        return token != null;
    }

    /** The token; call only when {@link #present()}. */
    public String token() {
        return token.get();
    }

    /** The supplier Pulsar's token authentication calls on every (re)connection. */
    Supplier<String> supplier() {
        return token;
    }

    private static String read(Path file) {
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new IllegalArgumentException(TOKEN_FILE + "=" + file + ": the file is empty");
            }
            return token;
        } catch (IOException e) {
            throw new IllegalArgumentException(TOKEN_FILE + "=" + file + ": cannot read it ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public String toString() {
        return present() ? "token(hidden)" : "none";
    }
}
