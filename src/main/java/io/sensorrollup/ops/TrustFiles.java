package io.sensorrollup.ops;

import io.sensorrollup.sink.clickhouse.ClickHouseConfig;
import io.sensorrollup.source.pulsar.PulsarSecurityConfig;
import io.sensorrollup.source.tls.PemTrust;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * The trust files the configuration names (CA bundles, the S3 client's trust store), read once at start-up: one that
 * cannot be read stops start-up naming its key; a certificate in one that expires within {@code rollup.tls.expiry-warning}
 * (or has expired) is warned about, naming the file, the subject and the expiry.
 */
@ApplicationScoped
class TrustFiles {

    private static final Logger LOG = Logger.getLogger(TrustFiles.class);
    static final String PG_CERTS = "quarkus.datasource.reactive.trust-certificate-pem.certs";
    static final String S3_STORE = "quarkus.s3.sync-client.tls-trust-managers-provider.file-store.path";

    private final Config config;
    private final TlsConfig tls;
    private final PulsarSecurityConfig pulsar;
    private final ClickHouseConfig clickhouse;

    TrustFiles(Config config, TlsConfig tls, PulsarSecurityConfig pulsar, ClickHouseConfig clickhouse) {
        this.config = config;
        this.tls = tls;
        this.pulsar = pulsar;
        this.clickhouse = clickhouse;
    }

    /** Reads every configured trust file; throws naming the key of the first that cannot be read. */
    List<String> check() {
        List<String> warnings = new ArrayList<>();
        Instant now = Instant.now();
        pulsar.caFile().ifPresent(file -> warnings.addAll(pem("rollup.pulsar.ca-file", file, now)));
        clickhouse.caFile().ifPresent(file -> warnings.addAll(pem("rollup.clickhouse.ca-file", file, now)));
        if (!"disable".equalsIgnoreCase(config.getOptionalValue("quarkus.datasource.reactive.postgresql.ssl-mode", String.class)
                .orElse("disable"))) {
            for (String file : config.getOptionalValues(PG_CERTS, String.class).orElse(List.of())) {
                warnings.addAll(pem(PG_CERTS, Path.of(file), now));
            }
        }
        if ("file-store".equals(config.getOptionalValue("quarkus.s3.sync-client.tls-trust-managers-provider.type", String.class)
                .orElse(""))) {
            warnings.addAll(store(now));
        }
        warnings.forEach(LOG::warn);
        return warnings;
    }

    private List<String> pem(String key, Path file, Instant now) {
        return CertificateExpiry.warnings(key, file.toString(), PemTrust.certificates(key, file), now, tls.expiryWarning());
    }

    private List<String> store(Instant now) {
        Path file = config.getOptionalValue(S3_STORE, Path.class)
                .orElseThrow(() -> new IllegalArgumentException(S3_STORE + " is not set, and the trust managers provider is file-store"));
        String type = config.getOptionalValue("quarkus.s3.sync-client.tls-trust-managers-provider.file-store.type", String.class)
                .orElse("PKCS12");
        Optional<String> password = config.getOptionalValue(
                "quarkus.s3.sync-client.tls-trust-managers-provider.file-store.password", String.class);
        List<X509Certificate> certificates = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore keyStore = KeyStore.getInstance(type);
            keyStore.load(in, password.map(String::toCharArray).orElse(null));
            for (String alias : Collections.list(keyStore.aliases())) {
                Certificate certificate = keyStore.getCertificate(alias);
                if (certificate instanceof X509Certificate x509) {
                    certificates.add(x509);
                }
            }
        } catch (Exception e) {
            throw new IllegalArgumentException(S3_STORE + "=" + file + ": cannot read it as a " + type + " trust store ("
                    + e.getClass().getSimpleName() + ")");
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(S3_STORE + "=" + file + ": holds no certificate");
        }
        return CertificateExpiry.warnings(S3_STORE, file.toString(), certificates, now, tls.expiryWarning());
    }
}
