package io.sensorrollup.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pulsar.client.api.CompressionType;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;

/**
 * Publishes JSON lines from stdin (the shared generator's wire format) to a topic, keyed by device id as a fleet's
 * gateways do, with batching and a bounded number of sends in flight. Prints {@code published N}. Args: service
 * URL, topic.
 */
public final class CorpusPublisher {

    private static final Pattern DEVICE = Pattern.compile("\"device_id\":\"([^\"]{1,128})\"");

    public static void main(String[] args) throws Exception {
        Semaphore inFlight = new Semaphore(20_000);
        long sent = 0;
        try (PulsarClient client = PulsarClient.builder().serviceUrl(args[0]).build();
                Producer<byte[]> producer = client.newProducer(Schema.BYTES).topic(args[1])
                        .enableBatching(true).batchingMaxMessages(1_000).batchingMaxPublishDelay(5, TimeUnit.MILLISECONDS)
                        .compressionType(CompressionType.NONE).blockIfQueueFull(true).create();
                BufferedReader lines = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 20)) {
            for (String line; (line = lines.readLine()) != null; ) {
                var message = producer.newMessage().value(line.getBytes(StandardCharsets.UTF_8));
                Matcher device = DEVICE.matcher(line);
                if (device.find()) {
                    message.key(device.group(1));
                }
                inFlight.acquire();
                message.sendAsync().whenComplete((id, e) -> {
                    inFlight.release();
                    if (e != null) {
                        System.err.println("publish failed: " + e);
                        System.exit(1);
                    }
                });
                sent++;
            }
            producer.flush();
            inFlight.acquire(20_000);
        }
        System.out.println("published " + sent);
    }
}
