package io.sensorrollup.source.simulator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pulsar.client.api.CompressionType;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.TypedMessageBuilder;

/**
 * {@code dev/simulate}: a device fleet publishing readings to the topic, keyed by device_id, at a steady
 * rate (paced every 10 ms), printing the achieved rate every 5 s and a total at the end.
 *
 * <pre>--devices 500 --rate 30000 --seconds 120 (0: until stopped) --topic … --service-url …
 * --jitter-ms 0 --late-ratio 0 --late-ms 600000 --malformed-ratio 0 --seed 42</pre>
 */
public final class SimulatorMain {

    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long REPORT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private SimulatorMain() {
    }

    /**
     * A client for {@code serviceUrl}; with the environment's TLS trust ({@code PULSAR_CA_FILE} or {@code TLS_CA_FILE})
     * and token ({@code PULSAR_TOKEN_FILE} or {@code PULSAR_TOKEN}), as the service takes them, for a secured broker.
     */
    static PulsarClient client(String serviceUrl) throws org.apache.pulsar.client.api.PulsarClientException {
        var builder = PulsarClient.builder().serviceUrl(serviceUrl);
        String ca = env("PULSAR_CA_FILE", env("TLS_CA_FILE", null));
        if (ca != null) {
            builder.tlsTrustCertsFilePath(ca).enableTlsHostnameVerification(true);
        }
        String tokenFile = env("PULSAR_TOKEN_FILE", null);
        if (tokenFile != null) {
            builder.authentication(org.apache.pulsar.client.api.AuthenticationFactory.token(() -> {
                try {
                    return java.nio.file.Files.readString(java.nio.file.Path.of(tokenFile)).strip();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("PULSAR_TOKEN_FILE=" + tokenFile + ": cannot read it", e);
                }
            }));
        } else if (env("PULSAR_TOKEN", null) != null) {
            builder.authentication(org.apache.pulsar.client.api.AuthenticationFactory.token(env("PULSAR_TOKEN", null)));
        }
        return builder.build();
    }

    private static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : value;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        int rate = Integer.parseInt(a.getOrDefault("rate", "30000"));
        long seconds = Long.parseLong(a.getOrDefault("seconds", "0"));
        String topic = a.getOrDefault("topic", "persistent://public/default/sensor-readings");
        String serviceUrl = a.getOrDefault("service-url", System.getenv().getOrDefault("PULSAR_SERVICE_URL", "pulsar://127.0.0.1:6650"));
        SimulatedFleet fleet = new SimulatedFleet(new SimulatedFleet.Options(
                Integer.parseInt(a.getOrDefault("devices", "500")), Long.parseLong(a.getOrDefault("seed", "42")),
                Long.parseLong(a.getOrDefault("jitter-ms", "0")), Double.parseDouble(a.getOrDefault("late-ratio", "0")),
                Long.parseLong(a.getOrDefault("late-ms", "600000")), Double.parseDouble(a.getOrDefault("malformed-ratio", "0"))));
        if (rate < 1) {
            throw new IllegalArgumentException("--rate must be at least 1");
        }

        AtomicLong failed = new AtomicLong();
        try (PulsarClient client = client(serviceUrl);
                Producer<byte[]> producer = client.newProducer().topic(topic)
                        .enableBatching(true).batchingMaxPublishDelay(5, TimeUnit.MILLISECONDS).batchingMaxMessages(1_000)
                        .compressionType(CompressionType.LZ4).blockIfQueueFull(true).maxPendingMessages(10_000)
                        .create()) {
            System.out.printf("simulate: %d devices, %d readings/s to %s at %s%s%n", fleet.devices(), rate, topic, serviceUrl,
                    seconds > 0 ? " for " + seconds + " s" : " until stopped");
            long start = System.nanoTime();
            long end = seconds > 0 ? start + TimeUnit.SECONDS.toNanos(seconds) : Long.MAX_VALUE;
            long sent = 0;
            long lastReport = start;
            long sentAtReport = 0;
            while (System.nanoTime() < end) {
                long now = System.nanoTime();
                long due = (long) ((now - start) / 1e9 * rate);
                for (; sent < due; sent++) {
                    SimulatedFleet.Message m = fleet.next(System.currentTimeMillis());
                    TypedMessageBuilder<byte[]> message = producer.newMessage().value(m.payload());
                    if (m.key() != null) {
                        message.key(m.key());
                    }
                    message.sendAsync().exceptionally(e -> {
                        failed.incrementAndGet();
                        return null;
                    });
                }
                if (now - lastReport >= REPORT_NANOS) {
                    System.out.printf("simulate: %,.0f readings/s (%,d sent)%n", (sent - sentAtReport) / ((now - lastReport) / 1e9), sent);
                    lastReport = now;
                    sentAtReport = sent;
                }
                long sleep = TICK_NANOS - (System.nanoTime() - now);
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
            }
            producer.flush();
            double took = (System.nanoTime() - start) / 1e9;
            System.out.printf("simulate: done, %,d readings in %.1f s = %,.0f readings/s, %d failed%n", sent, took, sent / took,
                    failed.get());
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + String.join(" ", args));
            }
            out.put(args[i].substring(2), args[++i]);
        }
        return out;
    }
}
