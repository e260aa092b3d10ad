package io.sensorrollup.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorrollup.source.tls.PemTrust;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up's warning about trusted certificates that expire soon, on certificates openssl generates for the test. */
class CertificateExpiryTest {

    @TempDir
    Path dir;

    @Test
    void aCertificateThatExpiresWithinTheWindowIsWarnedAboutNamingFileSubjectAndExpiry() throws Exception {
        Path bundle = dir.resolve("bundle.pem");
        Files.writeString(bundle, Files.readString(certificate("short-lived", 1)) + Files.readString(certificate("long-lived", 365)));
        List<X509Certificate> certificates = PemTrust.certificates("rollup.pulsar.ca-file", bundle);
        assertEquals(2, certificates.size());

        List<String> warnings = CertificateExpiry.warnings("rollup.pulsar.ca-file", bundle.toString(), certificates,
                Instant.now(), Duration.ofDays(14));

        assertEquals(1, warnings.size(), warnings.toString());
        String warning = warnings.get(0);
        assertTrue(warning.contains("CN=short-lived") && warning.contains(bundle.toString())
                && warning.contains("rollup.pulsar.ca-file") && warning.contains("expires at "
                + certificates.get(0).getNotAfter().toInstant()), warning);
        assertTrue(warning.contains("within 23h") || warning.contains("within 1d"), warning); // a day, less the seconds since
        assertEquals(List.of(), CertificateExpiry.warnings("k", "f", certificates.subList(1, 2), Instant.now(), Duration.ofDays(14)));
    }

    @Test
    void anExpiredCertificateIsWarnedAboutAsExpired() throws Exception {
        List<X509Certificate> certificates = PemTrust.certificates("k", certificate("soon", 1));
        List<String> warnings = CertificateExpiry.warnings("rollup.clickhouse.ca-file", "ca.pem", certificates,
                Instant.now().plus(Duration.ofDays(2)), Duration.ofDays(14));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("EXPIRED at"), warnings.get(0));
    }

    @Test
    void anUnreadableOrWrongTrustFileIsRefusedNamingTheKey() throws Exception {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> PemTrust.certificates("rollup.pulsar.ca-file", dir.resolve("missing.pem")));
        assertTrue(missing.getMessage().startsWith("rollup.pulsar.ca-file=" + dir.resolve("missing.pem")), missing.getMessage());
        Path notPem = Files.writeString(dir.resolve("secret.txt"), "hunter2-not-a-certificate");
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> PemTrust.context("rollup.clickhouse.ca-file", notPem));
        assertTrue(wrong.getMessage().startsWith("rollup.clickhouse.ca-file=") && !wrong.getMessage().contains("hunter2"),
                wrong.getMessage());
    }

    private Path certificate(String name, int days) throws Exception {
        Path pem = dir.resolve(name + ".pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", dir.resolve(name + ".key").toString(), "-out", pem.toString(), "-days", Integer.toString(days),
                "-subj", "/CN=" + name).redirectErrorStream(true).start();
        String out = new String(openssl.getInputStream().readAllBytes());
        assertEquals(0, openssl.waitFor(), out);
        return pem;
    }
}
