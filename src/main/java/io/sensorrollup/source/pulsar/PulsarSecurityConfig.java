package io.sensorrollup.source.pulsar;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code rollup.pulsar.*}: how the service proves itself to Pulsar and which broker certificates it trusts, for the
 * binary protocol ({@code pulsar+ssl://}) and the admin REST API ({@code https://}) alike. The token comes only from a
 * file (a mounted Kubernetes secret; re-read on use, so a rotated token is picked up) or the environment.
 */
@ConfigMapping(prefix = "rollup.pulsar")
public interface PulsarSecurityConfig {

    /** PEM bundle of the CAs that sign the brokers' certificates; empty: the JVM's default trust store. */
    Optional<Path> caFile();

    /** A file holding the JWT of the service's role (e.g. a mounted secret); re-read on every use. */
    Optional<Path> tokenFile();

    /** The JWT itself, from the environment ({@code PULSAR_TOKEN}); never from a committed file. */
    Optional<String> token();

    /** Whether the broker's certificate must name the host the service connects to. */
    @WithDefault("true")
    boolean tlsHostnameVerification();
}
