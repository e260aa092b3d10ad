package io.sensorrollup.ops;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The warnings about certificates of a trust file that expire soon or have expired: file, subject and expiry, no secret. */
final class CertificateExpiry {

    private CertificateExpiry() {
    }

    static List<String> warnings(String key, String file, List<X509Certificate> certificates, Instant now, Duration window) {
        List<String> warnings = new ArrayList<>();
        for (X509Certificate certificate : certificates) {
            Instant expiry = certificate.getNotAfter().toInstant();
            String subject = certificate.getSubjectX500Principal().getName();
            if (!expiry.isAfter(now)) {
                warnings.add("Certificate '" + subject + "' in " + file + " (" + key + ") EXPIRED at " + expiry
                        + ": TLS connections that rely on it fail; replace the file");
            } else if (expiry.isBefore(now.plus(window))) {
                warnings.add("Certificate '" + subject + "' in " + file + " (" + key + ") expires at " + expiry + ", within "
                        + human(Duration.between(now, expiry)) + " (rollup.tls.expiry-warning=" + human(window)
                        + "): renew it before then");
            }
        }
        return warnings;
    }

    private static String human(Duration duration) {
        if (duration.toDays() >= 1) {
            return duration.toDays() + "d" + (duration.toHoursPart() > 0 ? " " + duration.toHoursPart() + "h" : "");
        }
        if (duration.toHours() >= 1) {
            return duration.toHours() + "h";
        }
        return Math.max(duration.toMinutes(), 0) + "m";
    }
}
