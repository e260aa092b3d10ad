package io.sensorrollup.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorrollup.source.pulsar.PulsarCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets from files, as Kubernetes mounts them: the content, never shown; a wrong path names the key. */
class SecretFilesTest {

    @TempDir
    Path dir;

    @Test
    void aSecretFileIsReadStrippedAndAMissingOneNamesItsKeyNotItsContent() throws Exception {
        Path file = Files.writeString(dir.resolve("password"), "s3cr3t-value\n");
        assertEquals("s3cr3t-value", SecretFilesConfigSourceFactory.read("PG_PASSWORD_FILE", file));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> SecretFilesConfigSourceFactory.read("rollup.clickhouse.password-file", dir.resolve("nope")));
        assertTrue(missing.getMessage().startsWith("rollup.clickhouse.password-file=" + dir.resolve("nope")), missing.getMessage());
    }

    @Test
    void thePulsarTokenFileIsReReadAndNeverPrinted() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "eyJ.first\n");
        PulsarCredentials credentials = PulsarCredentials.of(Optional.of(file), Optional.empty());
        assertEquals("eyJ.first", credentials.token());
        Files.writeString(file, "eyJ.rotated");
        assertEquals("eyJ.rotated", credentials.token());
        assertFalse(credentials.toString().contains("eyJ"));
        assertFalse(PulsarCredentials.of(Optional.empty(), Optional.of("")).present());
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> PulsarCredentials.of(Optional.of(file), Optional.of("eyJ.env")));
        assertFalse(both.getMessage().contains("eyJ"));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> PulsarCredentials.of(Optional.of(dir.resolve("none")), Optional.empty()));
        assertTrue(missing.getMessage().startsWith("rollup.pulsar.token-file="), missing.getMessage());
    }

    @Test
    void anEndpointShowsNoPasswordOrSecretParameter() {
        Dependency.Action none = () -> { };
        assertEquals("postgresql://db:5432/rollup", new Dependency("postgresql", "postgresql://rollup:pw@db:5432/rollup", none, none).endpoint());
        assertEquals("https://ch:8443/?user=rollup&password=***",
                new Dependency("clickhouse", "https://ch:8443/?user=rollup&password=pw", none, none).endpoint());
    }
}
