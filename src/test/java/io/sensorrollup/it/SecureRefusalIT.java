package io.sensorrollup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The secured servers refusing what they should, one start of the service per case (cases that the configuration lets
 * share a start share one): a wrong Pulsar token and an untrusted Pulsar certificate stop start-up naming the reason;
 * wrong database passwords and untrusted S3, ClickHouse and PostgreSQL certificates leave the service running, the
 * reason in readiness (the checkpoint store) or the dependencies' health group (the sinks, CONTRACT §6) and in the log.
 * No secret value, right or wrong, is ever shown.
 */
class SecureRefusalIT {

    private static final Pattern UNTRUSTED = Pattern.compile("(?i)PKIX|certification path|unable to find valid certif");
    private static SecureServers servers;
    private static Path dir;

    @BeforeAll
    static void servers() throws IOException {
        servers = SecureServers.up();
        dir = Files.createDirectories(Path.of("target", "secure-refusal-" + UUID.randomUUID().toString().substring(0, 8))
                .toAbsolutePath());
    }

    @Test
    void wrongDatabasePasswordsShowInTheDependenciesGroupAndTheLogNeverThePassword() throws Exception {
        IsolatedRun run = run("secure-wrong-passwords");
        Map<String, String> env = servers.serviceEnv();
        String wrongClickHouse = "wrong-ch-" + UUID.randomUUID();
        String wrongPostgres = "wrong-pg-" + UUID.randomUUID();
        env.put("CLICKHOUSE_PASSWORD_FILE", Files.writeString(dir.resolve("ch.password"), wrongClickHouse).toString());
        env.put("PG_PASSWORD_FILE", Files.writeString(dir.resolve("pg.password"), wrongPostgres).toString());
        try (ServiceProcess service = ServiceProcess.start(run.id(), config(run), List.of(), env)) {
            // ready: a sink that refuses does not make the pod unready (CONTRACT §6), its group does
            HttpResponse<String> group = service.get("/q/health/group/dependencies");
            assertEquals(503, group.statusCode(), group.body());
            String body = group.body();
            assertTrue(Pattern.compile("(?is)\"clickhouse\".{0,200}DOWN.{0,400}(password|authentic)").matcher(body).find(), body);
            assertTrue(Pattern.compile("(?is)\"postgresql\".{0,200}DOWN.{0,400}password authentication failed").matcher(body).find(),
                    body);
            String log = service.logText();
            assertTrue(log.contains("password authentication failed"), "the PostgreSQL refusal in the log");
            assertTrue(Pattern.compile("(?i)clickhouse at https://\\S+ (not ready yet|did not answer)[^\\n]*(password|authentic)")
                    .matcher(log).find(), "the ClickHouse refusal in the log");
            for (String text : List.of(body, log, service.get("/q/health/ready").body())) {
                assertFalse(text.contains(wrongClickHouse) || text.contains(wrongPostgres), "a wrong password is shown");
                SecurePipelineIT.assertNoSecret(servers, text, "the service's log or health");
            }
        }
    }

    @Test
    void untrustedCertificatesOfS3ClickHouseAndPostgresKeepThePodNotReadyOrTheSinksDownNamingTheReason() throws Exception {
        IsolatedRun run = run("secure-untrusted");
        Path ca = throwawayCa();
        Map<String, String> env = servers.serviceEnv();
        env.put("PULSAR_CA_FILE", env.get("TLS_CA_FILE")); // Pulsar trusted, so start-up goes on
        env.put("TLS_CA_FILE", ca.resolve("ca.pem").toString());
        env.put("PG_SSLROOTCERT", ca.resolve("ca.pem").toString());
        env.put("TLS_TRUSTSTORE_FILE", ca.resolve("truststore.p12").toString());
        try (ServiceProcess service = ServiceProcess.launchWithEnvironment(run.id(), config(run), List.of(), env)) {
            Awaitility.await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .untilAsserted(() -> {
                        HttpResponse<String> ready = service.get("/q/health/ready");
                        assertEquals(503, ready.statusCode());
                        assertTrue(Pattern.compile("(?s)checkpoint-store-prepared.{0,400}DOWN").matcher(ready.body()).find()
                                && UNTRUSTED.matcher(ready.body()).find(), ready.body());
                    });
            String group = service.get("/q/health/group/dependencies").body();
            for (String sink : List.of("clickhouse", "postgresql")) {
                var check = Pattern.compile("(?s)\\{[^{}]*\"name\": \"" + sink + "\"[^{}]*\"data\": \\{[^{}]*\\}").matcher(group);
                assertTrue(check.find(), group);
                assertTrue(check.group().contains("DOWN") && Pattern.compile("(?i)ssl|certif|pkix|handshake|trust")
                        .matcher(check.group()).find(), check.group());
            }
            String log = service.logText();
            assertTrue(UNTRUSTED.matcher(log).find(), "the untrusted certificate in the log");
            // the throwaway CA expires in 2 days, within rollup.tls.expiry-warning (14d): start-up warns, naming it
            assertTrue(Pattern.compile("WARN .*Certificate 'CN=throwaway test CA' in " + Pattern.quote(ca.resolve("ca.pem").toString())
                    + " \\(rollup.clickhouse.ca-file\\) expires at \\S+, within 1d 23h").matcher(log).find(), "the expiry warning in the log");
            for (String text : List.of(group, log)) {
                SecurePipelineIT.assertNoSecret(servers, text, "the service's log or health");
            }
        }
    }

    @Test
    void aWrongS3SecretKeyKeepsThePodNotReadyNamingTheRefusal() throws Exception {
        IsolatedRun run = run("secure-wrong-s3-key");
        Map<String, String> env = servers.serviceEnv();
        String wrong = "wrongS3" + UUID.randomUUID().toString().replace("-", "");
        env.put("S3_SECRET_ACCESS_KEY_FILE", Files.writeString(dir.resolve("s3.secret"), wrong).toString());
        try (ServiceProcess service = ServiceProcess.launchWithEnvironment(run.id(), config(run), List.of(), env)) {
            Awaitility.await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .untilAsserted(() -> {
                        HttpResponse<String> ready = service.get("/q/health/ready");
                        assertEquals(503, ready.statusCode());
                        assertTrue(Pattern.compile("(?s)checkpoint-store-prepared.{0,400}DOWN.{0,600}(?i)(signature|access denied|403)")
                                .matcher(ready.body()).find(), ready.body());
                    });
            String text = service.logText() + service.get("/q/health/ready").body();
            assertFalse(text.contains(wrong), "the wrong key is shown");
            SecurePipelineIT.assertNoSecret(servers, text, "the service's log or readiness");
        }
    }

    @Test
    void aWrongPulsarTokenStopsStartUpNamingTheRefusal() throws Exception {
        IsolatedRun run = run("secure-wrong-token");
        Map<String, String> env = servers.serviceEnv();
        String wrong = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyb2xsdXAifQ." + UUID.randomUUID().toString().replace("-", "");
        env.put("PULSAR_TOKEN_FILE", Files.writeString(dir.resolve("wrong.token"), wrong).toString());
        String log = failedStart(run, env);
        assertTrue(log.contains("refused the service's credentials (HTTP 401"), log);
        assertFalse(log.contains(wrong.substring(wrong.lastIndexOf('.'))), "the wrong token is shown");
        SecurePipelineIT.assertNoSecret(servers, log.replace(wrong, ""), "the service's log");
    }

    @Test
    void anUntrustedPulsarCertificateStopsStartUpNamingIt() throws Exception {
        IsolatedRun run = run("secure-untrusted-pulsar");
        Map<String, String> env = servers.serviceEnv();
        env.put("PULSAR_CA_FILE", throwawayCa().resolve("ca.pem").toString());
        String log = failedStart(run, env);
        assertTrue(Pattern.compile("(?i)Cannot prepare pulsar at https://[^\\n]*(PKIX|certif)").matcher(log).find(), log);
        SecurePipelineIT.assertNoSecret(servers, log, "the service's log");
    }

    @Test
    void aMissingTrustOrSecretFileStopsStartUpNamingItsKey() throws Exception {
        IsolatedRun run = run("secure-missing-files");
        Map<String, String> env = servers.serviceEnv();
        env.put("PULSAR_CA_FILE", dir.resolve("no-such-ca.pem").toString());
        assertTrue(failedStart(run, env).contains("rollup.pulsar.ca-file=" + dir.resolve("no-such-ca.pem") + ": no such readable file"));
        env = servers.serviceEnv();
        env.put("CLICKHOUSE_PASSWORD_FILE", dir.resolve("no-such-password").toString());
        String log = failedStart(run, env);
        assertTrue(log.contains("CLICKHOUSE_PASSWORD_FILE=" + dir.resolve("no-such-password") + ": cannot read it"), log);
    }

    private static IsolatedRun run(String name) throws IOException, InterruptedException {
        IsolatedRun run = IsolatedRun.create(name, 1);
        servers.createTopic(run.topic(), 1);
        return run;
    }

    private static Map<String, String> config(IsolatedRun run) {
        Map<String, String> config = new HashMap<>(run.serviceConfig("a"));
        config.put("rollup.sink", "clickhouse,postgresql");
        config.put("rollup.startup.dependency-timeout", "5s");
        return config;
    }

    /** Starts the service expecting it to exit during start-up; its log. */
    private static String failedStart(IsolatedRun run, Map<String, String> env) throws Exception {
        try (ServiceProcess service = ServiceProcess.launchWithEnvironment(run.id(), config(run), List.of(), env)) {
            Awaitility.await().atMost(90, TimeUnit.SECONDS).until(() -> !service.isAlive());
            assertTrue(service.exitValue() != 0, "exit value " + service.exitValue());
            return service.logText();
        }
    }

    /** A second CA, which signed none of the servers' certificates: PEM and a PKCS12 trust store. */
    private static Path throwawayCa() throws Exception {
        Path ca = dir.resolve("throwaway-ca");
        if (Files.exists(ca.resolve("truststore.p12"))) {
            return ca;
        }
        Files.createDirectories(ca);
        exec("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", ca.resolve("ca.key").toString(), "-out", ca.resolve("ca.pem").toString(), "-days", "2",
                "-subj", "/CN=throwaway test CA");
        exec("keytool", "-importcert", "-noprompt", "-alias", "ca", "-file", ca.resolve("ca.pem").toString(),
                "-keystore", ca.resolve("truststore.p12").toString(), "-storetype", "PKCS12", "-storepass", "changeit");
        return ca;
    }

    private static void exec(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + out);
    }
}
