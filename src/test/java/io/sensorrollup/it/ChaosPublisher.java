package io.sensorrollup.it;

import io.sensorrollup.source.simulator.SimulatedFleet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.TypedMessageBuilder;

/**
 * The campaign's fleet: a seeded {@link SimulatedFleet} with jitter, late readings and every malformed kind, sent
 * at a paced rate with live timestamps, keyed by device. A send that fails (the broker down or hung) is not
 * retried: the {@link Ledger}, read back from the broker, says what was stored.
 */
final class ChaosPublisher implements AutoCloseable {

    private final SimulatedFleet fleet;
    private final Producer<byte[]> producer;
    private final int perSecond;
    private final Thread thread;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean stopped;

    ChaosPublisher(PulsarClient client, String topic, long seed, int devices, int perSecond) throws PulsarClientException {
        this.fleet = new SimulatedFleet(new SimulatedFleet.Options(devices, seed, 2_000, 0.002, 600_000, 0.002));
        this.producer = client.newProducer(Schema.BYTES).topic(topic).enableBatching(true)
                .batchingMaxPublishDelay(5, TimeUnit.MILLISECONDS).sendTimeout(10, TimeUnit.SECONDS)
                .blockIfQueueFull(false).create();
        this.perSecond = perSecond;
        this.thread = new Thread(this::run, "chaos-publisher");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        long start = System.nanoTime();
        long count = 0;
        while (!stopped) {
            long due = start + count * 1_000_000_000L / perSecond;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
            SimulatedFleet.Message message = fleet.next(System.currentTimeMillis());
            TypedMessageBuilder<byte[]> builder = producer.newMessage().value(message.payload());
            if (message.key() != null) {
                builder.key(message.key());
            }
            try {
                builder.sendAsync().whenComplete((id, e) -> (e == null ? sent : failed).incrementAndGet());
            } catch (RuntimeException e) {
                failed.incrementAndGet();
            }
            count++;
        }
    }

    long sent() {
        return sent.get();
    }

    long failed() {
        return failed.get();
    }

    /** Stops sending and waits for the sends in flight. */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join();
        try {
            producer.flush();
            producer.close();
        } catch (PulsarClientException e) {
            // what was stored is in the ledger
        }
    }
}
