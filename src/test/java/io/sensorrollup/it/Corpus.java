package io.sensorrollup.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.MessageId;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.Schema;

/** Readings from the shared deterministic generator, {@code ../shared/bench/gen_readings.py}. */
final class Corpus {

    private Corpus() {
    }

    private static final Pattern DEVICE = Pattern.compile("\"device_id\":\"([^\"]{1,128})\"");

    /** Publishes each line as one message keyed by its device_id (unkeyed when it has none), in order. */
    static void publish(PulsarClient client, String topic, List<String> lines) throws PulsarClientException {
        // a batch cannot hold a message near the broker's 5 MiB limit: such lines go on their own. Blocking
        // when the client's 64 MB send buffer is full, rather than failing the send, paces a big corpus
        try (Producer<byte[]> batching = client.newProducer(Schema.BYTES).topic(topic).enableBatching(true)
                        .blockIfQueueFull(true).create();
                Producer<byte[]> single = client.newProducer(Schema.BYTES).topic(topic).enableBatching(false)
                        .blockIfQueueFull(true).create()) {
            List<CompletableFuture<MessageId>> sent = new ArrayList<>(lines.size());
            for (String line : lines) {
                byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                var message = (bytes.length > 100_000 ? single : batching).newMessage().value(bytes);
                Matcher device = DEVICE.matcher(line);
                if (device.find()) {
                    message.key(device.group(1));
                }
                sent.add(message.sendAsync());
            }
            batching.flush();
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        }
    }

    /** Creates the topic partitioned, as an operator would before producers start: a producer would create it unpartitioned. */
    static void createTopic(String adminUrl, String topic, int partitions) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create(adminUrl + "/admin/v2/" + topic.replace("://", "/") + "/partitions"))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(Integer.toString(partitions))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("creating " + topic + ": HTTP " + response.statusCode() + " " + response.body());
        }
    }

    /** What an operator does to rescale: Pulsar can add partitions to a topic, never take them away. */
    static void raisePartitions(String adminUrl, String topic, int partitions) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create(adminUrl + "/admin/v2/" + topic.replace("://", "/") + "/partitions"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Integer.toString(partitions))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("raising " + topic + ": HTTP " + response.statusCode() + " " + response.body());
        }
    }

    /** About 20 000 readings a second, so a kill lands while messages still arrive. */
    /** The service subscription's backlog over all partitions, from the broker (Long.MAX_VALUE before it exists). */
    static long subscriptionBacklog(String adminUrl, String topic) throws IOException, InterruptedException {
        HttpResponse<String> stats = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(adminUrl + "/admin/v2/" + topic.replace("://", "/") + "/partitioned-stats"))
                .timeout(java.time.Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        com.fasterxml.jackson.databind.JsonNode subscription = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(stats.body()).path("subscriptions").path("sensor-rollup");
        return subscription.isMissingNode() ? Long.MAX_VALUE : subscription.path("msgBacklog").asLong();
    }

    static void publishSlowly(PulsarClient client, String topic, List<String> lines) {
        try {
            for (int from = 0; from < lines.size(); from += 2_000) {
                publish(client, topic, lines.subList(from, Math.min(lines.size(), from + 2_000)));
                Thread.sleep(100);
            }
        } catch (PulsarClientException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** gen_readings.py's first timestamp unless told otherwise: 2026-01-01T00:00:00Z, on a minute boundary. */
    private static final long GENERATOR_START_MS = 1_767_225_600_000L;

    /**
     * As {@link #generate}: {@code count} readings at {@code rate} a second of event time, starting so that the newest
     * is just before a minute boundary. An idle partition's watermark advances from its newest timestamp at the pace of
     * the wall clock, so the last window then closes the idle timeout after the stream ends instead of up to a minute
     * later.
     */
    static List<String> generateEndingOnAMinute(int count, int rate, String... more) throws IOException, InterruptedException {
        long span = (long) count * 1_000 / rate;
        long start = GENERATOR_START_MS + Math.floorDiv(span + 59_999, 60_000) * 60_000 - span;
        List<String> args = new ArrayList<>(List.of("--count", Integer.toString(count), "--rate", Integer.toString(rate),
                "--start-ms", Long.toString(start)));
        args.addAll(List.of(more));
        return generate(args.toArray(String[]::new));
    }

    /**
     * {@code perSecond} readings a second, so event time keeps pace with the wall clock and no partition
     * idles (an idle partition's watermark advances with the wall clock: a pause in publishing would make
     * the readings after it late).
     */
    static void publishPaced(PulsarClient client, String topic, List<String> lines, int perSecond) {
        try {
            int chunk = Math.max(1, perSecond / 10);
            long start = System.nanoTime();
            for (int from = 0; from < lines.size(); from += chunk) {
                publish(client, topic, lines.subList(from, Math.min(lines.size(), from + chunk)));
                long due = start + (long) (from + chunk) * 1_000_000_000L / perSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        } catch (PulsarClientException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<String> generate(String... args) throws IOException, InterruptedException {
        Path repo = Path.of(System.getProperty("sensorrollup.repo", "")).toAbsolutePath();
        Path generator = repo.resolveSibling("shared").resolve("bench/gen_readings.py");
        if (!Files.exists(generator)) {
            throw new IllegalStateException("the corpus generator is not at " + generator);
        }
        List<String> command = new ArrayList<>(List.of("python3", generator.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
        return lines;
    }
}
