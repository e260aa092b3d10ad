package io.sensorrollup.source.pulsar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorrollup.it.LocalServersResource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionType;
import org.junit.jupiter.api.Test;

/**
 * What a partition handed back to a pod relies on, against the real broker: after {@link PartitionConsumers#rewind}
 * the messages of the new epoch start at or before the first unacknowledged one and miss none, while what was
 * delivered before keeps an older epoch.
 */
class PartitionRewindIT {

    @Test
    void aRewoundPartitionIsDeliveredAgainFromItsCursorUnderANewEpoch() throws Exception {
        Map<String, String> env = LocalServersResource.servers().env();
        String topic = "persistent://public/default/rewind-it-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(env.get("PULSAR_ADMIN_URL") + "/admin/v2/" + topic.replace("://", "/") + "/partitions"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("2")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, created.statusCode(), created.body());
        try (PulsarClient client = PulsarClient.builder().serviceUrl(env.get("PULSAR_SERVICE_URL")).build()) {
            try (Producer<byte[]> producer = client.newProducer().topic(topic + "-partition-0").enableBatching(false).create()) {
                for (int i = 0; i < 40; i++) {
                    producer.send(Integer.toString(i).getBytes(StandardCharsets.UTF_8));
                }
            }
            try (Consumer<byte[]> consumer = client.newConsumer().topic(topic).subscriptionName("rewind-it")
                    .subscriptionType(SubscriptionType.Failover).receiverQueueSize(10)
                    .acknowledgmentGroupTime(0, TimeUnit.MILLISECONDS)
                    .subscriptionInitialPosition(org.apache.pulsar.client.api.SubscriptionInitialPosition.Earliest)
                    .subscribe()) {
                List<Message<byte[]>> first = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    first.add(consumer.receive(10, TimeUnit.SECONDS));
                }
                long before = PulsarReadingsChannel.generation(first.get(7));
                assertEquals(before, PulsarReadingsChannel.generation(first.get(0)));
                assertTrue(before >= 0, "the broker stamps an epoch on what it delivers: " + before);
                consumer.acknowledgeCumulative(first.get(4).getMessageId()); // 0..4 done

                PartitionConsumers consumers = new PartitionConsumers(new TestClientService(client, consumer), topic);
                long after = consumers.rewind(0);
                assertTrue(after > before, "a rewind starts a newer epoch: " + before + " then " + after);

                // a read the broker had in progress may end after the new epoch's first one and carry its position
                // past messages it sends only in the old epoch: as PartitionTask does, a left-over that comes after
                // the newest epoch's messages, and beyond them, rewinds again
                List<Integer> again = new ArrayList<>();
                int rewinds = 1;
                while (!again.contains(39)) {
                    Message<byte[]> m = consumer.receive(10, TimeUnit.SECONDS);
                    assertTrue(m != null, "nothing more after " + again + " (" + rewinds + " rewinds)");
                    int value = Integer.parseInt(new String(m.getValue(), StandardCharsets.UTF_8));
                    if (PulsarReadingsChannel.generation(m) >= after) {
                        again.add(value);
                    } else if (!again.isEmpty() && value > again.get(again.size() - 1)) {
                        after = consumers.rewind(0);
                        again.clear();
                        rewinds++;
                    }
                    assertTrue(rewinds <= 10, "rewinds settle: " + rewinds);
                }
                assertTrue(again.get(0) <= 5, "the newest epoch starts at or before the first unacknowledged message: " + again);
                for (int i = 1; i < again.size(); i++) {
                    assertEquals(again.get(i - 1) + 1, again.get(i), "and misses nothing: " + again);
                }
            }
        }
    }
}
