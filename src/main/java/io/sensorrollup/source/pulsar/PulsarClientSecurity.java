package io.sensorrollup.source.pulsar;

import io.sensorrollup.source.tls.PemTrust;
import io.quarkus.arc.profile.UnlessBuildProfile;
import io.smallrye.reactive.messaging.ClientCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.pulsar.client.api.AuthenticationFactory;
import org.apache.pulsar.client.api.ClientBuilder;
import org.eclipse.microprofile.config.Config;

/**
 * TLS trust and token authentication for every Pulsar client of the messaging connector (the readings' consumer,
 * the dead-letter producer), from {@code rollup.pulsar.*}. Not Quarkus's TLS registry ({@code tls-configuration-name}):
 * quarkus-messaging-pulsar turns that into TLS-certificate authentication, which replaces the token.
 */
@ApplicationScoped
@UnlessBuildProfile("embedded")
class PulsarClientSecurity implements ClientCustomizer<ClientBuilder> {

    private final PulsarSecurityConfig config;
    private final PulsarCredentials credentials;

    PulsarClientSecurity(PulsarSecurityConfig config) {
        this.config = config;
        this.credentials = PulsarCredentials.of(config);
        config.caFile().ifPresent(file -> PemTrust.certificates("rollup.pulsar.ca-file", file));
    }

    @Override
    public ClientBuilder customize(String channel, Config ignored, ClientBuilder builder) {
        config.caFile().ifPresent(file -> builder.tlsTrustCertsFilePath(file.toAbsolutePath().toString()));
        builder.enableTlsHostnameVerification(config.tlsHostnameVerification());
        if (credentials.present()) {
            builder.authentication(AuthenticationFactory.token(credentials.supplier()));
        }
        return builder;
    }
}
