package io.sensorrollup.source.pulsar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.profile.UnlessBuildProfile;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The service's subscription as the broker sees it, per partition of the topic (Pulsar's partitioned-stats): which
 * consumer is active on it, the owner under the Failover subscription whichever pod that is, which consumers are
 * connected, and the backlog.
 */
@ApplicationScoped
@UnlessBuildProfile("embedded")
public class SubscriptionStats {

    /**
     * @param activeConsumer the consumer name of the pod the broker delivers the partition to, null when none is
     * @param backlog        messages the subscription has not acknowledged yet
     */
    public record PartitionSubscription(int partition, String activeConsumer, List<String> consumers, long backlog) {
    }

    private static final String PARTITION_SUFFIX = "-partition-";

    private final PulsarTopicAdmin admin;
    private final PulsarSourceConfig config;
    private final ObjectMapper json = new ObjectMapper();

    SubscriptionStats(PulsarTopicAdmin admin, PulsarSourceConfig config) {
        this.admin = admin;
        this.config = config;
    }

    /** Every partition the broker has statistics for, in order. */
    public Map<Integer, PartitionSubscription> read() throws IOException, InterruptedException {
        HttpResponse<String> response = admin.send(HttpRequest.newBuilder(
                admin.uri("/admin/v2/" + config.topic().replace("://", "/") + "/partitioned-stats?perPartition=true")).GET());
        if (response.statusCode() != 200) {
            throw new IOException("partitioned-stats answered HTTP " + response.statusCode());
        }
        return parse(json.readTree(response.body()), config.subscription());
    }

    static Map<Integer, PartitionSubscription> parse(JsonNode stats, String subscriptionName) {
        Map<Integer, PartitionSubscription> out = new TreeMap<>();
        var partitions = stats.path("partitions").fields();
        while (partitions.hasNext()) {
            var entry = partitions.next();
            int index = entry.getKey().lastIndexOf(PARTITION_SUFFIX);
            if (index < 0) {
                continue;
            }
            int partition = Integer.parseInt(entry.getKey().substring(index + PARTITION_SUFFIX.length()));
            JsonNode subscription = entry.getValue().path("subscriptions").path(subscriptionName);
            List<String> consumers = new ArrayList<>();
            subscription.path("consumers").forEach(c -> consumers.add(c.path("consumerName").asText()));
            String active = subscription.path("activeConsumerName").asText(null);
            out.put(partition, new PartitionSubscription(partition, active == null || active.isEmpty() ? null : active,
                    List.copyOf(consumers), subscription.path("msgBacklog").asLong(0)));
        }
        return out;
    }
}
