package io.sensorrollup.checkpoint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.OptionalInt;

/**
 * The topic's partition count the store's checkpoints were taken with (CONTRACT §6), in one object at the
 * store's root, {@value #KEY}: {@code {"format":1,"topic":"persistent://…","partitions":8}}. The first
 * start-up writes it; every later one compares. A device's windows live in the partition its key hashes
 * to, so a different count splits them: such a start is refused.
 *
 * <p>The key does not start with {@code partition-}, so listings of partitions' checkpoints never see it.
 */
public final class TopicPartitionCount {

    public static final String KEY = "topic-partitions.json";
    private static final int FORMAT = 1;
    private static final JsonFactory JSON = new JsonFactory();

    private final CheckpointStore store;

    public TopicPartitionCount(CheckpointStore store) {
        this.store = store;
    }

    /**
     * Records {@code partitions} when the store has no record yet (first start, or a store written by a version
     * that kept none), else compares it with the record.
     *
     * @return true when this call recorded it
     * @throws PartitionCountChangedException when the record holds another count
     * @throws IOException when the store fails: try again, it is no answer
     */
    public boolean verify(String topic, int partitions) throws IOException {
        if (store.putIfAbsent(KEY, encode(topic, partitions))) {
            return true;
        }
        int recorded = recorded().orElseThrow(() -> new NoSuchFileException(store.describe(KEY) + " was deleted meanwhile"));
        if (recorded != partitions) {
            throw new PartitionCountChangedException(topic, partitions, recorded, store.describe(KEY));
        }
        return false;
    }

    /**
     * Replaces the record with {@code partitions}: the last step of a rescale, once every partition's state is
     * committed for the new count.
     */
    public void record(String topic, int partitions) throws IOException {
        store.delete(java.util.List.of(KEY));
        if (!store.putIfAbsent(KEY, encode(topic, partitions))) {
            throw new IOException(store.describe(KEY) + " was written by another start-up meanwhile");
        }
    }

    /** The recorded count; empty when there is no record. */
    public OptionalInt recorded() throws IOException {
        byte[] bytes;
        try {
            bytes = store.getBytes(KEY);
        } catch (NoSuchFileException none) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(decode(bytes));
    }

    private static byte[] encode(String topic, int partitions) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("format", FORMAT);
            json.writeStringField("topic", topic);
            json.writeNumberField("partitions", partitions);
            json.writeEndObject();
        }
        return out.toByteArray();
    }

    private int decode(byte[] bytes) throws IOException {
        int format = 0;
        int partitions = 0;
        try (JsonParser json = JSON.createParser(bytes)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException(store.describe(KEY) + " is not a JSON object");
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                json.nextToken();
                switch (field) {
                    case "format" -> format = json.getIntValue();
                    case "partitions" -> partitions = json.getIntValue();
                    default -> json.skipChildren();
                }
            }
        }
        if (format != FORMAT || partitions < 1) {
            throw new IOException(store.describe(KEY) + " is not a partition count of format " + FORMAT + ": "
                    + new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        }
        return partitions;
    }
}
