package io.sensorrollup.source.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A PEM bundle of CA certificates, the trust anchors of a TLS client. Every error names the configuration key the
 * file came from and its path, never its content (a CA file holds no secret, but a wrong key might point at one).
 */
public final class PemTrust {

    private PemTrust() {
    }

    /** The X.509 certificates of {@code file}; at least one, or an {@link IllegalArgumentException} naming {@code key}. */
    public static List<X509Certificate> certificates(String key, Path file) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(key + "=" + file + ": no such readable file");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                if (certificate instanceof X509Certificate x509) {
                    certificates.add(x509);
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(key + "=" + file + ": not a PEM bundle of X.509 certificates ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(key + "=" + file + ": holds no PEM certificate");
        }
        return certificates;
    }

    /** A TLS context that trusts the certificates of {@code file} and nothing else. */
    public static SSLContext context(String key, Path file) {
        List<X509Certificate> certificates = certificates(key, file);
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("ca-" + i, certificates.get(i));
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(key + "=" + file + ": cannot build a trust store (" + e.getMessage() + ")", e);
        }
    }
}
