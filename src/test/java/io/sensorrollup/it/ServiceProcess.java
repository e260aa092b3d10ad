package io.sensorrollup.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The packaged service as its own process, as a pod runs it: started, killed with SIGKILL, or stopped. */
final class ServiceProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    private final Process process;
    private final int port;
    private final Path log;

    private ServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the service against the local servers with {@code config} as system properties; waits until it is ready. */
    static ServiceProcess start(String name, Map<String, String> config) throws IOException, InterruptedException {
        return start(name, config, List.of());
    }

    /** As {@link #start(String, Map)} with exactly {@code env} as the servers' environment (the secured servers'). */
    static ServiceProcess start(String name, Map<String, String> config, List<String> jvmOptions, Map<String, String> env)
            throws IOException, InterruptedException {
        return readyOrKilled(launchWithEnvironment(name, config, jvmOptions, env));
    }

    /** As {@link #start(String, Map)}, with JVM options after the default ones (a later {@code -Xmx} wins). */
    static ServiceProcess start(String name, Map<String, String> config, List<String> jvmOptions)
            throws IOException, InterruptedException {
        return readyOrKilled(launch(name, config, jvmOptions));
    }

    private static ServiceProcess readyOrKilled(ServiceProcess service) throws IOException, InterruptedException {
        try {
            service.awaitReady(Duration.ofSeconds(90));
        } catch (IOException | RuntimeException | InterruptedException e) {
            service.process.destroyForcibly();
            throw e;
        }
        return service;
    }

    /** Starts the service as {@link #start} does, without waiting for it to be ready. */
    static ServiceProcess launch(String name, Map<String, String> config) throws IOException {
        return launch(name, config, List.of());
    }

    static ServiceProcess launch(String name, Map<String, String> config, List<String> jvmOptions)
            throws IOException {
        return launch(name, config, jvmOptions, Map.of());
    }

    /** As {@link #launch(String, Map, List)}, with {@code extraEnv} in the process's environment (as a pod's ConfigMap). */
    static ServiceProcess launch(String name, Map<String, String> config, List<String> jvmOptions, Map<String, String> extraEnv)
            throws IOException {
        Map<String, String> env = new java.util.HashMap<>(LocalServersResource.servers().env());
        env.put("AWS_ACCESS_KEY_ID", env.get("S3_ACCESS_KEY_ID"));
        env.put("AWS_SECRET_ACCESS_KEY", env.get("S3_SECRET_ACCESS_KEY"));
        env.putAll(extraEnv);
        return launchWithEnvironment(name, config, jvmOptions, env);
    }

    /** As {@link #launch(String, Map, List)}, with exactly {@code env} as the servers' environment (e.g. the secured servers'). */
    static ServiceProcess launchWithEnvironment(String name, Map<String, String> config, List<String> jvmOptions,
            Map<String, String> env) throws IOException {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is built by `package`, before the integration tests");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        // started as the quickstart and the benchmarks start it (its class-data archive); the script execs java
        List<String> command = new ArrayList<>(List.of("dev/lib/run-service", "-Xmx512m",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port));
        command.addAll(jvmOptions);
        config.forEach((k, v) -> command.add("-D" + k + "=" + v));
        Path log = Path.of("target", name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        Process process = builder.start();
        // never outlive the test JVM, whatever happens to the test
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return new ServiceProcess(process, port, log);
    }

    /** Waits until the pods together have received {@code readings}. */
    static void awaitReceived(List<ServiceProcess> pods, long readings) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            double sum = 0;
            for (ServiceProcess pod : pods) {
                sum += pod.metric("rollup_readings_received_total");
            }
            return sum >= readings;
        });
    }

    /** Starts the service expecting it to stop during start-up; the log it wrote. */
    static String failedStart(String name, Map<String, String> config) throws IOException, InterruptedException {
        try (ServiceProcess unexpected = start(name, config)) {
            throw new AssertionError("the service started; see target/" + name + ".log");
        } catch (IllegalStateException exited) {
            if (!exited.getMessage().startsWith("the service exited")) {
                throw exited;
            }
            return Files.readString(Path.of("target", name + ".log"));
        }
    }

    /** The address of a path of the service's HTTP port, for a browser. */
    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** GET of a path of the service's HTTP port, e.g. {@code /q/health/ready}. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** POST with an {@code Authorization} header. */
    HttpResponse<String> post(String path, String authorization) throws IOException, InterruptedException {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(90))
                        .header("Authorization", authorization).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The sum over all series of a metric on {@code /q/metrics} (0 when absent). */
    double metric(String name) throws IOException, InterruptedException {
        double sum = 0;
        for (String line : get("/q/metrics").body().split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                String value = line.substring(line.lastIndexOf(' ') + 1);
                if (!value.equals("NaN")) {
                    sum += Double.parseDouble(value);
                }
            }
        }
        return sum;
    }

    /** Whether the service's log has a line containing {@code text} so far. */
    boolean logged(String text) throws IOException {
        return Files.readString(log).contains(text);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    void kill() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
        process.waitFor();
    }

    /** SIGSTOP: the process freezes as in a long GC pause, CPU throttling or a frozen VM. */
    void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** SIGTERM, then waits up to {@code grace} for the exit (as a pod's termination grace period); the time it took. */
    Duration terminate(Duration grace) throws InterruptedException {
        long started = System.nanoTime();
        process.destroy();
        if (!process.waitFor(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the service did not exit within " + grace + " of SIGTERM; see " + log);
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    int exitValue() {
        return process.exitValue();
    }

    String logText() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: graceful shutdown with a final checkpoint
        if (!process.waitFor(Duration.ofSeconds(40).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the service was not ready within " + timeout + "; see " + log);
    }
}
