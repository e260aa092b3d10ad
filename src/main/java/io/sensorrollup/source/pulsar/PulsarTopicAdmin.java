package io.sensorrollup.source.pulsar;

import io.sensorrollup.source.tls.PemTrust;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.profile.UnlessBuildProfile;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.MessageIdAdv;
import org.jboss.logging.Logger;

/** The few calls to Pulsar's admin REST API the service needs; the messaging client has no admin side. */
@ApplicationScoped
@UnlessBuildProfile("embedded")
public class PulsarTopicAdmin {

    private static final Logger LOG = Logger.getLogger(PulsarTopicAdmin.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final PulsarSourceConfig config;
    private final HttpClient http;
    private final PulsarCredentials credentials;
    private final ObjectMapper json = new ObjectMapper();
    private volatile int topicPartitions;

    PulsarTopicAdmin(PulsarSourceConfig config, PulsarSecurityConfig security) {
        this.config = config;
        this.credentials = PulsarCredentials.of(security);
        HttpClient.Builder http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT);
        // the JDK client checks the certificate names the host (endpoint identification HTTPS) by default
        security.caFile().ifPresent(file -> http.sslContext(PemTrust.context("rollup.pulsar.ca-file", file)));
        this.http = http.build();
    }

    public String endpoint() {
        return config.adminUrl();
    }

    /**
     * Creates the topic with {@code rollup.source.partitions} partitions when it does not exist.
     * An existing topic keeps its partition count: Pulsar can only grow it, and growing it moves
     * devices between partitions, which is a migration, not a start-up side effect. Remembers the topic's
     * partition count ({@link #topicPartitions()}).
     */
    public void ensurePartitionedTopic() throws IOException, InterruptedException {
        topicPartitions = createUnlessPresent();
    }

    /** The topic's partition count as found or made by {@link #ensurePartitionedTopic()}; the configured one before that. */
    public int topicPartitions() {
        return topicPartitions > 0 ? topicPartitions : config.partitions();
    }

    private int createUnlessPresent() throws IOException, InterruptedException {
        int existing = partitions();
        if (existing > 0) {
            if (existing != config.partitions()) {
                LOG.warnf("Topic %s has %d partitions, rollup.source.partitions says %d: using the topic's %d",
                        config.topic(), existing, config.partitions(), existing);
            }
            return existing;
        }
        HttpResponse<String> created = send(HttpRequest.newBuilder(uri(partitionsPath()))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(Integer.toString(config.partitions()))));
        if (created.statusCode() == 409) {
            // another pod created it between our two calls, or a producer created it unpartitioned
            int now = partitions();
            if (now == 0) {
                throw new IOException("topic " + config.topic() + " exists but is not partitioned (a producer created it"
                        + " before the service did, with the broker's allowAutoTopicCreationType=non-partitioned);"
                        + " readings cannot be spread over pods: create it partitioned, see the README");
            }
            return now;
        }
        if (created.statusCode() == 401 || created.statusCode() == 403) {
            throw new IOException("creating " + config.topic() + ": " + refused(created) + " (creating a topic is a tenant"
                    + " administrator's operation: create it partitioned beforehand, see the README's security section)");
        }
        if (created.statusCode() / 100 != 2) {
            throw new IOException("creating " + config.topic() + " with " + config.partitions()
                    + " partitions at " + config.adminUrl() + " failed: HTTP " + created.statusCode() + " " + created.body());
        }
        LOG.infof("Created topic %s with %d partitions", config.topic(), config.partitions());
        return config.partitions();
    }

    /**
     * Throws unless the broker answers for the topic's metadata and the topic exists. Lighter than
     * {@code /brokers/health}, which produces and consumes a message on every call.
     */
    public void ping() throws IOException, InterruptedException {
        if (partitions() == 0) {
            throw new IOException("topic " + config.topic() + " does not exist as a partitioned topic");
        }
    }

    /** Partition count of the topic as Pulsar knows it, 0 when the topic does not exist. */
    public int partitions() throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(partitionsPath())).GET());
        if (response.statusCode() == 404) {
            return 0;
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new IOException(refused(response));
        }
        if (response.statusCode() != 200) {
            throw new IOException("topic metadata answered HTTP " + response.statusCode() + " " + response.body());
        }
        return json.readTree(response.body()).path("partitions").asInt(0);
    }

    /**
     * Moves the subscription's cursor of one partition back (or forward) to {@code position} (a MessageId's
     * bytes), so the next consumer gets every message from there. Connected consumers are disconnected.
     */
    public void resetCursor(int partition, byte[] position, String subscription) throws IOException, InterruptedException {
        MessageIdAdv id = (MessageIdAdv) MessageId.fromByteArray(position);
        String body = "{\"ledgerId\":" + id.getLedgerId() + ",\"entryId\":" + id.getEntryId() + ",\"partitionIndex\":"
                + partition + ",\"isExcluded\":false,\"batchIndex\":-1}";
        String path = "/admin/v2/" + config.topic().replace("://", "/") + "-partition-" + partition + "/subscription/"
                + subscription + "/resetcursor";
        HttpResponse<String> reset = send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (reset.statusCode() / 100 != 2) {
            throw new IOException("resetting " + subscription + " of partition " + partition + " to " + id
                    + " failed: HTTP " + reset.statusCode() + " " + reset.body());
        }
    }

    /** Why the broker refused a call, naming what to check; never the token. */
    private String refused(HttpResponse<String> response) {
        return response.statusCode() == 401
                ? "Pulsar admin at " + config.adminUrl() + " refused the service's credentials (HTTP 401 unauthenticated:"
                        + (credentials.present() ? " check the token of rollup.pulsar.token-file or PULSAR_TOKEN)"
                                : " no token configured, set rollup.pulsar.token-file or PULSAR_TOKEN)")
                : "Pulsar admin at " + config.adminUrl() + " denied the service's role (HTTP 403 unauthorized) on " + config.topic();
    }

    private String partitionsPath() {
        return "/admin/v2/" + config.topic().replace("://", "/") + "/partitions";
    }

    URI uri(String path) {
        return URI.create(config.adminUrl().replaceAll("/+$", "") + path);
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(authorized(request).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    java.util.concurrent.CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest.Builder request) {
        return http.sendAsync(authorized(request).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The service role's token as a bearer token, when one is configured (rollup.pulsar.token-file or .token). */
    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        return credentials.present() ? request.setHeader("Authorization", "Bearer " + credentials.token()) : request;
    }
}
