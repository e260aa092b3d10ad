package io.sensorrollup.source.pulsar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorrollup.it.LocalServersResource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;
import org.apache.pulsar.client.api.SubscriptionType;
import org.apache.pulsar.client.impl.ConsumerImpl;
import org.junit.jupiter.api.Test;

/**
 * dev/chaos seed 8108: after a broker restart a partition stopped for good. Its consumer was fenced between a
 * reconnect's subscription, which tells the broker the consumer's epoch, and the broker's answer: the client raised
 * its epoch without telling the broker, then dropped everything the broker sent in the old one (apache/pulsar#20032).
 * Here the topic is unloaded again and again, which makes the consumer reconnect, and fenced in that window each
 * time; after each reconnect the next message must still arrive.
 */
class ReconnectFenceIT {

    private static final int RECONNECTS = 15;

    @Test
    void aFenceWhileTheConsumerResubscribesKeepsThePartitionFlowing() throws Exception {
        Map<String, String> env = LocalServersResource.servers().env();
        String admin = env.get("PULSAR_ADMIN_URL");
        String topic = "persistent://public/default/reconnect-fence-it-" + UUID.randomUUID().toString().substring(0, 8);
        HttpClient http = HttpClient.newHttpClient();
        assertEquals(204, put(http, admin + "/admin/v2/" + topic.replace("://", "/") + "/partitions", "1").statusCode());
        String unload = admin + "/admin/v2/" + (topic + "-partition-0").replace("://", "/") + "/unload";

        try (PulsarClient client = PulsarClient.builder().serviceUrl(env.get("PULSAR_SERVICE_URL")).build();
                Producer<byte[]> producer = client.newProducer().topic(topic + "-partition-0").enableBatching(false).create();
                Consumer<byte[]> consumer = client.newConsumer().topic(topic).subscriptionName("reconnect-fence-it")
                        .subscriptionType(SubscriptionType.Failover).acknowledgmentGroupTime(0, TimeUnit.MILLISECONDS)
                        .subscriptionInitialPosition(SubscriptionInitialPosition.Earliest).subscribe()) {
            PartitionConsumers consumers = new PartitionConsumers(new TestClientService(client, consumer), topic);
            int fencedWhileResubscribing = 0;
            for (int round = 0; round < RECONNECTS; round++) {
                ConsumerImpl<byte[]> partition = consumers.of(0).orElseThrow();
                CompletableFuture<HttpResponse<String>> unloaded = CompletableFuture.supplyAsync(() -> put(http, unload, ""));
                // the window: connected again to the broker (a connection), not yet answered (not connected)
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                boolean inWindow = false;
                boolean wentAway = false;
                while (System.nanoTime() < deadline && !(wentAway && partition.isConnected())) {
                    if (!partition.isConnected()) {
                        wentAway = true;
                        if (partition.getClientCnx() != null) {
                            consumers.fence(0);
                            inWindow = true;
                            break;
                        }
                    }
                    Thread.onSpinWait();
                }
                assertEquals(204, unloaded.get(30, TimeUnit.SECONDS).statusCode());
                if (inWindow) {
                    fencedWhileResubscribing++;
                }

                producer.send(("m" + round).getBytes(StandardCharsets.UTF_8));
                awaitMessage(consumer, round, inWindow);
            }
            System.out.printf("ReconnectFenceIT: %d reconnects, %d fenced between resubscription and answer%n", RECONNECTS,
                    fencedWhileResubscribing);
            assertTrue(fencedWhileResubscribing > 0, "no fence fell between a resubscription and its answer");
        }
    }

    /** Earlier messages may come again (an acknowledgement the unload overtook); the new one must come. */
    private static void awaitMessage(Consumer<byte[]> consumer, int round, boolean fenced) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            long left = deadline - System.nanoTime();
            Message<byte[]> m = left > 0 ? consumer.receive((int) TimeUnit.NANOSECONDS.toMillis(left) + 1, TimeUnit.MILLISECONDS)
                    : null;
            assertNotNull(m, "after reconnect " + (round + 1) + " (fenced while resubscribing: " + fenced
                    + ") the partition delivers nothing more");
            consumer.acknowledgeCumulative(m.getMessageId());
            int index = Integer.parseInt(new String(m.getValue(), StandardCharsets.UTF_8).substring(1));
            assertTrue(index <= round, "m" + index + " before it was sent");
            if (index == round) {
                return;
            }
        }
    }

    private static HttpResponse<String> put(HttpClient http, String url, String body) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
