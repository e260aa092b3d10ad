package io.sensorrollup.it;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The packaged service, started with one bad value, stops at start-up with a message that names the key. */
class ConfigValidationIT {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "rollup.checkpoint.store    | hdfs://namenode/checkpoints",
        "rollup.checkpoint.interval | every minute",
        "rollup.checkpoint.retained | 0",
        "rollup.checkpoint.restore-savepoint | before upgrade",
        "rollup.source.partitions   | 0",
        "rollup.source.topic        | sensor-readings",
        "rollup.sink                | kafka",
        "rollup.clickhouse.url      | clickhouse:8123",
        "rollup.postgres.schema     | rollup-aggregates",
    })
    void badValueStopsStartUpNamingTheKey(String key, String value) throws IOException, InterruptedException {
        assertTrue(Files.exists(JAR), JAR + " is built by `package`, before the integration tests");
        Path output = Files.createTempFile("config-validation", ".log");
        Process service = new ProcessBuilder("java", "-D" + key + "=" + value, "-Dquarkus.http.port=0",
                "-jar", JAR.toString())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        boolean exited = service.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            service.destroyForcibly();
        }
        String log = Files.readString(output, StandardCharsets.UTF_8);
        Files.delete(output);
        assertTrue(exited, "the service kept running with " + key + "=" + value + ":\n" + log);
        assertNotEquals(0, service.exitValue());
        assertTrue(log.contains(key), "the start-up error does not name " + key + ":\n" + log);
    }
}
