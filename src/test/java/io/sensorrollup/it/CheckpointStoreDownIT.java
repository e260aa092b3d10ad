package io.sensorrollup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pulsar.client.api.PulsarClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A pod that restarts while the checkpoint store does not answer waits, not ready, and retries; it never
 * exits for it (CONTRACT §6). When the store answers again the pod prepares it and goes on. The store here
 * is a private s3proxy on a port of this test's own, started late: the shared one stays untouched.
 */
class CheckpointStoreDownIT {

    private static final Path S3PROXY_JAR = Path.of(".local/dist/s3proxy-4.1.0-jar-with-dependencies.jar");

    @Test
    void aRestartWithTheStoreDownWaitsNotReadyAndGoesOnWhenItAnswers() throws Exception {
        IsolatedRun run = IsolatedRun.create("store-down-it", 2);
        int port = freePort();
        Map<String, String> config = run.serviceConfig("pod-0");
        config.put("quarkus.s3.endpoint-override", "http://127.0.0.1:" + port);
        config.put("rollup.startup.dependency-timeout", "5s");
        List<String> corpus = Corpus.generate("--devices", "50", "--rate", "500", "--count", "1000");
        Map<String, String> env = LocalServersResource.servers().env();
        try (PulsarClient client = PulsarClient.builder().serviceUrl(env.get("PULSAR_SERVICE_URL")).build()) {
            Corpus.createTopic(env.get("PULSAR_ADMIN_URL"), run.topic(), run.partitions());
            Corpus.publish(client, run.topic(), corpus);
            try (ServiceProcess service = ServiceProcess.launch(run.id(), config)) {
                Thread.sleep(20_000); // four dependency timeouts
                assertTrue(service.isAlive(), "the service exited while the checkpoint store was down; see target/"
                        + run.id() + ".log");
                HttpResponse<String> ready = service.get("/q/health/ready");
                assertEquals(503, ready.statusCode(), ready.body());
                assertTrue(ready.body().contains("checkpoint-store"), "readiness names the checkpoint store: " + ready.body());
                assertEquals(0, service.metric("rollup_readings_received_total"), 0.0, "nothing processed without the store");

                Process s3 = startS3Proxy(run, port, env);
                try {
                    service.awaitReady(Duration.ofSeconds(90));
                    Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                            .until(() -> service.metric("rollup_readings_received_total") >= corpus.size());
                    assertTrue(service.logged("checkpoint-store prepared"), "the store's preparation finished");
                } finally {
                    service.close(); // its final checkpoint needs the store
                    s3.destroy();
                    s3.waitFor();
                }
            }
        }
    }

    /** An s3proxy of this test's own, as dev/services starts the shared one, with its data under target/. */
    private static Process startS3Proxy(IsolatedRun run, int port, Map<String, String> env) throws IOException {
        assertTrue(Files.exists(S3PROXY_JAR), S3PROXY_JAR + " is installed by dev/services");
        Path dir = Path.of("target", run.id(), "s3proxy").toAbsolutePath();
        Files.createDirectories(dir.resolve("data"));
        Path properties = dir.resolve("s3proxy.properties");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + env.get("S3_ACCESS_KEY_ID"),
                "s3proxy.credential=" + env.get("S3_SECRET_ACCESS_KEY"),
                "s3proxy.ignore-unknown-headers=true",
                "jclouds.provider=filesystem-nio2",
                "jclouds.filesystem.basedir=" + dir.resolve("data"), ""));
        Process s3 = new ProcessBuilder("java", "-Xmx128m", "-jar", S3PROXY_JAR.toString(), "--properties", properties.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("s3proxy.log").toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(s3::destroyForcibly));
        return s3;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
