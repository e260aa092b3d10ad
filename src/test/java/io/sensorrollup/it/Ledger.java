package io.sensorrollup.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.Reader;
import org.apache.pulsar.client.api.Schema;

/**
 * Exactly what the broker accepted, read back from it after the publisher stopped: every message of every
 * partition in the broker's order, with its publish time. A send that failed on the publisher's side but was
 * stored is here; one that timed out and was never stored is not, so the ledger needs no guess.
 */
final class Ledger {

    record Entry(int partition, String id, long publishTime, byte[] payload) {
    }

    /** A dead letter: the id of its source message, its error, its original bytes. */
    record DeadLetter(String sourceId, String error, byte[] payload) {
    }

    private Ledger() {
    }

    static final String SUBSCRIPTION = "chaos-ledger";

    /**
     * Makes the broker keep everything published to {@code topic} and its dead-letter topic: a subscription that
     * never acknowledges. Without one the broker deletes a ledger once the service's subscription has acknowledged
     * all of it (no retention is set), and after a broker restart the ledger read back would miss those messages.
     */
    static void retain(String adminUrl, String topic) throws IOException, InterruptedException {
        String path = adminUrl + "/admin/v2/" + topic.replace("://", "/");
        send(HttpRequest.newBuilder(URI.create(path + "-dlq")).PUT(HttpRequest.BodyPublishers.noBody()), 409);
        for (String t : List.of(path, path + "-dlq")) {
            send(HttpRequest.newBuilder(URI.create(t + "/subscription/" + SUBSCRIPTION))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"ledgerId\":-1,\"entryId\":-1,\"partitionIndex\":-1}")), 409);
        }
    }

    private static void send(HttpRequest.Builder request, int alsoFine) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2 && response.statusCode() != alsoFine) {
            throw new IOException(request.build().uri() + ": HTTP " + response.statusCode() + " " + response.body());
        }
    }

    /** The messages of each partition of {@code topic}, in order. */
    static List<List<Entry>> read(PulsarClient client, String topic, int partitions) throws java.io.IOException {
        List<List<Entry>> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            List<Entry> entries = new ArrayList<>();
            try (Reader<byte[]> reader = client.newReader(Schema.BYTES).topic(topic + "-partition-" + p)
                    .startMessageId(MessageId.earliest).create()) {
                while (reader.hasMessageAvailable()) {
                    Message<byte[]> m = reader.readNext(30, TimeUnit.SECONDS);
                    if (m == null) {
                        throw new IllegalStateException("partition " + p + " of " + topic + " stopped answering");
                    }
                    entries.add(new Entry(p, normalized(m.getMessageId().toString()), m.getPublishTime(), m.getValue()));
                }
            }
            all.add(entries);
        }
        return all;
    }

    /** The dead-letter topic's messages by source message id (a replay may have sent one twice: the first kept). */
    static Map<String, DeadLetter> deadLetters(PulsarClient client, String topic) throws java.io.IOException {
        Map<String, DeadLetter> letters = new HashMap<>();
        try (Reader<byte[]> reader = client.newReader(Schema.BYTES).topic(topic).startMessageId(MessageId.earliest)
                .create()) {
            while (reader.hasMessageAvailable()) {
                Message<byte[]> m = reader.readNext(30, TimeUnit.SECONDS);
                if (m == null) {
                    throw new IllegalStateException(topic + " stopped answering");
                }
                String source = normalized(m.getProperty("source-message-id"));
                letters.putIfAbsent(source, new DeadLetter(source, m.getProperty("error"), m.getValue()));
            }
        } catch (PulsarClientException.TopicDoesNotExistException none) {
            return letters;
        }
        return letters;
    }

    /** "ledger:entry:partition" and "ledger:entry:partition:0" name the same message of a batch of one. */
    static String normalized(String messageId) {
        if (messageId == null) {
            return "";
        }
        return messageId.chars().filter(c -> c == ':').count() == 2 ? messageId + ":0" : messageId;
    }
}
