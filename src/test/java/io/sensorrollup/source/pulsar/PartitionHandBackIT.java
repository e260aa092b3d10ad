package io.sensorrollup.source.pulsar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.ConsumerEventListener;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;
import org.apache.pulsar.client.api.SubscriptionType;
import org.junit.jupiter.api.Test;

/**
 * What a partition handed back to a pod relies on, against the real broker, while readings are being published:
 * a consumer that {@link PartitionConsumers#fence fences} its partition when Pulsar makes another consumer active
 * gets, when the partition comes back, a delivery of the new generation that starts at the acknowledged position
 * and misses nothing, and everything delivered before the fence keeps an older generation, so the messages that
 * reach it before the event that hands the partition back can be told apart from those of its earlier turn.
 *
 * <p>Pulsar 4.0.7 also sends the new owner, during the failover delay, what the previous owner had read ahead beyond
 * the acknowledged position, and rewinds only after: as PartitionTask does, the first message taken after a restore
 * must be the one right after the restored position.
 *
 * <p>And it tells the other consumers that a new one is active only when its failover delay (1 s) has passed. A
 * consumer that joins while a read is in progress gets messages at once, and one that takes the partition,
 * acknowledges and leaves within that delay is never heard of: the delivery goes on from its acknowledged position,
 * past a gap. As DeliveryFilter does, a running pod then asks where the subscription is acknowledged, and
 * restores the newest checkpoint when it is past what the pod processed.
 *
 * <p>Fencing while the consumer is active instead (a rewind at the hand-back) loses messages on Pulsar 4.0.7: the
 * broker rewinds its cursor, but a read it had in progress still completes, is sent in the old epoch (which the
 * client drops) and moves the cursor's read position past those messages, so the new epoch skips them.
 */
class PartitionHandBackIT {

    private static final int HAND_OVERS = 4;

    @Test
    void aPartitionHandedBackIsDeliveredFromItsAcknowledgedPositionInANewerGenerationMissingNothing() throws Exception {
        handBacks(3_000, 0);
    }

    /**
     * The pod stalls (a GC pause, SIGSTOP) as its partition is taken away, and hears of it only when the partition is
     * back already: its fence then rewinds the active consumer, which has had no permits to read with meanwhile, and
     * the delivery goes on from the other owner's acknowledged position. A rewind that raced a read in progress would
     * skip what that read took; PartitionTask then asks again (DeliveryFilter), as this pod does.
     */
    @Test
    void aFenceHeardWhenThePartitionIsBackAlreadyLosesNothing() throws Exception {
        handBacks(15_000, 3_000); // published while all four hand-overs take place
    }

    /**
     * @param readings how many to publish, a third before the pod starts, the rest at about 500 a second
     * @param eventLateMillis how long after Pulsar made the other consumer active the pod hears of it
     */
    private void handBacks(int readings, long eventLateMillis) throws Exception {
        Map<String, String> env = LocalServersResource.servers().env();
        String topic = "persistent://public/default/hand-back-it-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(env.get("PULSAR_ADMIN_URL") + "/admin/v2/" + topic.replace("://", "/") + "/partitions"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, created.statusCode(), created.body());
        try (PulsarClient client = PulsarClient.builder().serviceUrl(env.get("PULSAR_SERVICE_URL")).build();
                Producer<byte[]> producer = client.newProducer().topic(topic + "-partition-0").enableBatching(false).create()) {
            for (int i = 0; i < readings / 3; i++) {
                producer.send(bytes(i));
            }
            CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> publish(producer, readings / 3, readings));

            Pod pod = new Pod();
            AtomicReference<PartitionConsumers> fencing = new AtomicReference<>();
            Consumer<byte[]> consumer = subscribe(client, topic, "x", new ConsumerEventListener() {
                @Override
                public void becameActive(Consumer<?> c, int partition) {
                    pod.handedBack();
                }

                @Override
                public void becameInactive(Consumer<?> c, int partition) {
                    // the moment PartitionTasks.revoked fences: the broker has made another consumer active
                    PartitionConsumers consumers = fencing.get();
                    pod.revoked(() -> {
                        sleep(eventLateMillis); // the pod stalled: it takes nothing meanwhile either
                        return consumers == null ? Long.MIN_VALUE : consumers.fence(0);
                    });
                }
            });
            fencing.set(new PartitionConsumers(new TestClientService(client, consumer), topic));
            CompletableFuture<Void> otherPod = CompletableFuture.runAsync(() -> handOvers(client, topic, pod, 1_500 + eventLateMillis));

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while ((pod.processed() < readings - 1 || pod.handBacks() < HAND_OVERS) && System.nanoTime() < deadline) {
                if (pod.redeliveryDue()) {
                    fencing.get().redeliver(0);
                }
                Message<byte[]> m = consumer.receive(200, TimeUnit.MILLISECONDS);
                if (m != null && pod.take(value(m), PulsarReadingsChannel.generation(m))) {
                    consumer.acknowledgeCumulative(m.getMessageId());
                    pod.acknowledged(value(m));
                }
                assertNull(pod.failure(), pod::describe);
            }
            otherPod.get(60, TimeUnit.SECONDS);
            publishing.get(10, TimeUnit.SECONDS);
            assertEquals(readings - 1, pod.processed(), pod::describe);
            assertTrue(pod.handBacks() >= HAND_OVERS, "heard " + HAND_OVERS + " hand-backs: " + pod.describe());
            consumer.close();
        }
    }

    /** Another pod takes the partition over and gives it back, again and again, while the first one reads. */
    private static void handOvers(PulsarClient client, String topic, Pod pod, long pauseMillis) {
        try {
            // a hand-over the pod never hears of (see the class comment) does not count: the other pod goes on until
            // the pod has heard HAND_OVERS of them, or has tried three times as often
            for (int attempt = 0; attempt < 3 * HAND_OVERS; attempt++) {
                Thread.sleep(pauseMillis);
                if (pod.handBacks() >= HAND_OVERS) {
                    return;
                }
                // "a" sorts before "x": Pulsar makes it the active consumer of the partition
                try (Consumer<byte[]> other = subscribe(client, topic, "a", null)) {
                    int first = -1;
                    int last = -1;
                    for (int taken = 0; taken < 100; taken++) {
                        Message<byte[]> m = other.receive(3, TimeUnit.SECONDS);
                        if (m == null) {
                            break;
                        }
                        other.acknowledgeCumulative(m.getMessageId()); // its checkpoints
                        pod.acknowledged(value(m));
                        first = first < 0 ? value(m) : first;
                        last = value(m);
                    }
                    pod.otherPodTook(first, last);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Consumer<byte[]> subscribe(PulsarClient client, String topic, String name, ConsumerEventListener listener)
            throws Exception {
        var builder = client.newConsumer().topic(topic).subscriptionName("hand-back-it").consumerName(name)
                .subscriptionType(SubscriptionType.Failover).receiverQueueSize(10)
                .acknowledgmentGroupTime(0, TimeUnit.MILLISECONDS)
                .subscriptionInitialPosition(SubscriptionInitialPosition.Earliest);
        return (listener == null ? builder : builder.consumerEventListener(listener)).subscribe();
    }

    private static void publish(Producer<byte[]> producer, int from, int to) {
        try {
            for (int i = from; i < to; i++) {
                producer.send(bytes(i));
                if (i % 20 == 0) {
                    Thread.sleep(40); // about 500 a second: the broker reads while the partition changes hands
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] bytes(int i) {
        return Integer.toString(i).getBytes(StandardCharsets.UTF_8);
    }

    private static int value(Message<byte[]> m) {
        return Integer.parseInt(new String(m.getValue(), StandardCharsets.UTF_8));
    }

    /**
     * The first pod, as PartitionTasks and PartitionTask keep it: it takes a message only while it owns the partition,
     * skips what is older than its fence's generation or already processed, and restores, when the partition comes
     * back, the acknowledged position (the other pod's last checkpoint). Anything beyond the next message is a loss.
     */
    private static final class Pod {
        private boolean owned = true;
        private long floor = Long.MIN_VALUE;
        private int processed = -1;
        private int acknowledged = -1;
        private int handBacks;
        /** As PartitionTask's start check: after a restore, the first message taken must be the next one. */
        private boolean awaitingStart = true;
        private long redeliveryPause = TimeUnit.SECONDS.toNanos(5);
        private long nextRedeliveryAt = System.nanoTime() + redeliveryPause;
        private int readAheadDropped;
        private final List<String> events = new ArrayList<>();
        private String failure;

        /** As PartitionTasks.revoked: under the lock that takes messages, so none passes between the fence and the revocation. */
        synchronized void revoked(LongSupplier fence) {
            owned = false;
            long generation = fence.getAsLong();
            floor = Math.max(floor, generation);
            events.add("revoked at " + processed + ", fenced at generation " + generation);
        }

        /** As DeliveryFilter.check: a delivery that has not gone on from the restored position is asked for again. */
        synchronized boolean redeliveryDue() {
            long now = System.nanoTime();
            if (!awaitingStart || now < nextRedeliveryAt) {
                return false;
            }
            redeliveryPause *= 2;
            nextRedeliveryAt = now + redeliveryPause;
            events.add("redelivery asked at " + processed);
            return true;
        }

        synchronized void handedBack() {
            if (!owned) {
                owned = true;
                handBacks++;
                processed = acknowledged; // the restore of the newest checkpoint
                awaitingStart = true;
                redeliveryPause = TimeUnit.SECONDS.toNanos(5);
                nextRedeliveryAt = System.nanoTime() + redeliveryPause;
                events.add("handed back at " + processed);
            }
        }

        /** Whether the message was processed. */
        synchronized boolean take(int value, long generation) {
            if (generation < floor) {
                skipped(value, generation);
                return false; // delivered before the fence: it comes again in the newer generation
            }
            if (!owned) {
                events.add(value + " of generation " + generation + " before the event: handed back");
                handedBack();
            }
            if (value <= processed) {
                return false;
            }
            if (awaitingStart && value != processed + 1) {
                readAheadDropped++;
                return false; // the previous owner's read-ahead: Pulsar sends the rest after its rewind
            }
            if (value > processed + 1 && acknowledged > processed) {
                // DeliveryFilter: a gap, and the subscription acknowledged past this state: it is stale
                events.add("after " + processed + " came " + value + ", acknowledged at " + acknowledged
                        + ": restored the newest checkpoint");
                processed = acknowledged;
                return take(value, generation);
            }
            awaitingStart = false;
            if (value > processed + 1 && failure == null) {
                failure = "after " + processed + " came " + value + " (generation " + generation + "): lost " + (processed + 1)
                        + ".." + (value - 1);
            }
            processed = value;
            return true;
        }

        private int skippedFrom = -2;
        private int skippedTo = -2;

        /** Runs of messages of older generations, for the failure message. */
        private void skipped(int value, long generation) {
            if (value != skippedTo + 1) {
                skippedFrom = value;
                events.add("skipped " + value + " of generation " + generation);
            } else if (events.get(events.size() - 1).startsWith("skipped")) {
                events.set(events.size() - 1, "skipped " + skippedFrom + ".." + value + " of generation " + generation);
            }
            skippedTo = value;
        }

        synchronized void otherPodTook(int first, int last) {
            events.add("the other pod took " + first + ".." + last);
        }

        synchronized void acknowledged(int value) {
            acknowledged = Math.max(acknowledged, value);
        }

        synchronized int processed() {
            return processed;
        }

        synchronized int handBacks() {
            return handBacks;
        }

        synchronized String failure() {
            return failure;
        }

        synchronized String describe() {
            return (failure == null ? "processed through " + processed : failure) + "; " + readAheadDropped
                    + " read-ahead messages dropped; " + events;
        }
    }
}
