package io.sensorrollup.checkpoint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * {@link Manifest} as JSON (format 1), readable with {@code cat}:
 *
 * <pre>{@code
 * {
 *   "format" : 1,
 *   "partition" : 3,
 *   "checkpoint" : 12,
 *   "createdAt" : "2025-06-01T10:15:30.123Z",
 *   "position" : "CAEQAhgD",
 *   "watermark" : 1717236930000,
 *   "savepoint" : "before-upgrade",
 *   "owner" : "sensor-rollup-1",
 *   "handOver" : true,
 *   "files" : [ { "name" : "000123.sst", "path" : "shared/000123-3fa4c1d2e5b60718.sst",
 *                 "size" : 1048576, "sha256" : "3fa4…" } ]
 * }
 * }</pre>
 *
 * {@code savepoint} is absent for a plain checkpoint; {@code owner} (the committing pod) in manifests written before it; {@code handOver} unless it is the owner's last. Unknown fields are ignored, so a later format can
 * add fields; a reader refuses a format it does not know rather than guess which files are in use.
 */
public final class ManifestCodec {

    public static final int FORMAT = 1;

    private static final JsonFactory JSON = new JsonFactory();

    private ManifestCodec() {
    }

    public static byte[] encode(Manifest manifest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 160 * manifest.files().size());
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeNumberField("format", FORMAT);
            json.writeNumberField("partition", manifest.partition());
            json.writeNumberField("checkpoint", manifest.checkpointId());
            json.writeStringField("createdAt", manifest.createdAt().toString());
            json.writeStringField("position", Base64.getEncoder().encodeToString(manifest.position()));
            json.writeNumberField("watermark", manifest.watermark());
            if (manifest.savepoint().isPresent()) {
                json.writeStringField("savepoint", manifest.savepoint().get());
            }
            if (!manifest.owner().isEmpty()) {
                json.writeStringField("owner", manifest.owner());
            }
            if (manifest.handOver()) {
                json.writeBooleanField("handOver", true);
            }
            json.writeArrayFieldStart("files");
            for (CheckpointFile file : manifest.files()) {
                json.writeStartObject();
                json.writeStringField("name", file.name());
                json.writeStringField("path", file.path());
                json.writeNumberField("size", file.size());
                json.writeStringField("sha256", file.sha256());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to memory failed", e);
        }
        return out.toByteArray();
    }

    /** @throws IOException when the bytes are not a manifest of a known format */
    public static Manifest decode(byte[] bytes) throws IOException {
        Integer format = null;
        Integer partition = null;
        Long checkpoint = null;
        Instant createdAt = null;
        byte[] position = null;
        Long watermark = null;
        String savepoint = null;
        String owner = "";
        boolean handOver = false;
        List<CheckpointFile> files = null;
        try (JsonParser json = JSON.createParser(bytes)) {
            expect(json.nextToken(), JsonToken.START_OBJECT);
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                switch (field) {
                    case "format" -> format = json.getIntValue();
                    case "partition" -> partition = json.getIntValue();
                    case "checkpoint" -> checkpoint = json.getLongValue();
                    case "createdAt" -> createdAt = Instant.parse(json.getText());
                    case "position" -> position = Base64.getDecoder().decode(json.getText());
                    case "watermark" -> watermark = json.getLongValue();
                    case "savepoint" -> savepoint = value == JsonToken.VALUE_NULL ? null : json.getText();
                    case "owner" -> owner = json.getText();
                    case "handOver" -> handOver = value == JsonToken.VALUE_TRUE;
                    case "files" -> files = files(json);
                    default -> json.skipChildren();
                }
            }
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new IOException("not a checkpoint manifest: " + e.getMessage(), e);
        }
        if (format == null || format != FORMAT) {
            throw new IOException("unsupported manifest format " + format + " (this version reads format " + FORMAT + ")");
        }
        if (partition == null || checkpoint == null || createdAt == null || position == null || watermark == null
                || files == null) {
            throw new IOException("incomplete checkpoint manifest: a required field is missing");
        }
        return new Manifest(partition, checkpoint, createdAt, position, watermark, Optional.ofNullable(savepoint), files, owner, handOver);
    }

    private static List<CheckpointFile> files(JsonParser json) throws IOException {
        expect(json.currentToken(), JsonToken.START_ARRAY);
        List<CheckpointFile> files = new ArrayList<>();
        while (json.nextToken() == JsonToken.START_OBJECT) {
            String name = null;
            String path = null;
            Long size = null;
            String sha256 = null;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                json.nextToken();
                switch (field) {
                    case "name" -> name = json.getText();
                    case "path" -> path = json.getText();
                    case "size" -> size = json.getLongValue();
                    case "sha256" -> sha256 = json.getText();
                    default -> json.skipChildren();
                }
            }
            if (name == null || path == null || size == null || sha256 == null) {
                throw new IOException("incomplete file entry in checkpoint manifest");
            }
            files.add(new CheckpointFile(name, path, size, sha256));
        }
        expect(json.currentToken(), JsonToken.END_ARRAY);
        return files;
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("not a checkpoint manifest: expected " + expected + " but found " + actual);
        }
    }
}
