package io.sensorrollup.it;

import io.sensorrollup.ops.dev.LocalServers;
import io.sensorrollup.source.tls.PemTrust;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.apache.pulsar.client.api.AuthenticationFactory;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;

/**
 * The secured servers of {@code dev/services up --secure} (TLS, tokens, passwords), read as {@link LocalServersResource}
 * reads the plain ones: {@code .local/secure/services.env} (endpoints and the paths of the secret files) and
 * {@code secrets.env} (the values, for the tests' own clients and for grepping logs).
 */
final class SecureServers {

    /** The secret values a log, a health check or an error must never show. */
    static final List<String> SECRETS = List.of("PULSAR_TOKEN", "PULSAR_ADMIN_TOKEN", "S3_SECRET_ACCESS_KEY",
            "CLICKHOUSE_PASSWORD", "PG_PASSWORD");

    private final LocalServers servers;

    private SecureServers(LocalServers servers) {
        this.servers = servers;
    }

    /** Brings the secured servers up when they are down (a quick no-op when they answer). */
    static SecureServers up() {
        Path start = Path.of(System.getProperty("sensorrollup.repo", ""));
        LocalServers servers = LocalServers.find(start);
        if (servers == null) {
            throw new IllegalStateException("no dev/services above " + start.toAbsolutePath());
        }
        servers.run("up", "--secure");
        return new SecureServers(servers);
    }

    /** What the service's process gets: endpoints and the paths of the secret files, no secret value. */
    Map<String, String> serviceEnv() {
        return read(".local/secure/services.env");
    }

    /** {@link #serviceEnv()} and the secret values, for the tests' own clients. */
    Map<String, String> env() {
        Map<String, String> env = serviceEnv();
        env.putAll(read(".local/secure/secrets.env"));
        return env;
    }

    String secret(String name) {
        return read(".local/secure/secrets.env").get(name);
    }

    /** The superuser's client (it may produce to any topic), trusting the servers' CA. */
    PulsarClient adminClient() throws PulsarClientException {
        Map<String, String> env = serviceEnv();
        return PulsarClient.builder().serviceUrl(env.get("PULSAR_SERVICE_URL"))
                .tlsTrustCertsFilePath(env.get("TLS_CA_FILE")).enableTlsHostnameVerification(true)
                .authentication(AuthenticationFactory.token(secret("PULSAR_ADMIN_TOKEN"))).build();
    }

    /** Creates the topic partitioned with the admin token: the service's role may not create topics. */
    void createTopic(String topic, int partitions) throws IOException, InterruptedException {
        HttpResponse<String> response = admin(HttpRequest.newBuilder(adminUri(topic, "/partitions"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(Integer.toString(partitions))));
        if (response.statusCode() / 100 != 2) {
            throw new IOException("creating " + topic + ": HTTP " + response.statusCode() + " " + response.body());
        }
    }

    /** The service subscription's backlog over all partitions (Long.MAX_VALUE before it exists). */
    long subscriptionBacklog(String topic) throws IOException, InterruptedException {
        HttpResponse<String> stats = admin(HttpRequest.newBuilder(adminUri(topic, "/partitioned-stats")).GET());
        var subscription = new com.fasterxml.jackson.databind.ObjectMapper().readTree(stats.body())
                .path("subscriptions").path("sensor-rollup");
        return subscription.isMissingNode() ? Long.MAX_VALUE : subscription.path("msgBacklog").asLong();
    }

    /** A TLS context trusting the servers' CA. */
    SSLContext tls() {
        return PemTrust.context("TLS_CA_FILE", Path.of(serviceEnv().get("TLS_CA_FILE")));
    }

    private HttpResponse<String> admin(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HttpClient.newBuilder().sslContext(tls()).version(HttpClient.Version.HTTP_1_1).build().send(
                request.header("Authorization", "Bearer " + secret("PULSAR_ADMIN_TOKEN")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI adminUri(String topic, String suffix) {
        return URI.create(serviceEnv().get("PULSAR_ADMIN_URL") + "/admin/v2/" + topic.replace("://", "/") + suffix);
    }

    private Map<String, String> read(String file) {
        return servers.envFile(file);
    }
}
