package io.sensorrollup.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ManifestCodecTest {

    private static final Manifest SAVEPOINT = new Manifest(3, 12, Instant.parse("2025-06-01T10:15:30.123Z"),
            new byte[] {8, 1, 16, 2, -1, 0}, 1_717_236_930_000L, Optional.of("before-upgrade"), List.of(
                    new CheckpointFile("000123.sst", "shared/000123-3fa4c1d2e5b60718.sst", 1_048_576, "3fa4c1d2e5b60718" + "0".repeat(48)),
                    new CheckpointFile("CURRENT", "chk-12/CURRENT-aa", 16, "aa" + "0".repeat(62))), "sensor-rollup-1", false);

    @Test
    void roundTripsEveryField() throws IOException {
        Manifest back = ManifestCodec.decode(ManifestCodec.encode(SAVEPOINT));
        assertEquals(SAVEPOINT, back);
        assertArrayEquals(SAVEPOINT.position(), back.position());
        Manifest plain = new Manifest(0, 1, Instant.EPOCH, new byte[0], Long.MIN_VALUE, Optional.empty(), List.of(), "", false);
        assertEquals(plain, ManifestCodec.decode(ManifestCodec.encode(plain)));
        assertFalse(ManifestCodec.decode(ManifestCodec.encode(plain)).hasPosition(), "a rescale's new partition: no position");
        assertTrue(back.hasPosition());
    }

    @Test
    void aManifestWrittenBeforeTheOwnerAndHandOverFieldsReadsWithoutThem() throws IOException {
        String json = new String(ManifestCodec.encode(SAVEPOINT), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"owner\" : \"sensor-rollup-1\""), json);
        Manifest old = ManifestCodec.decode(json.replace("\"owner\" : \"sensor-rollup-1\",", "").getBytes(StandardCharsets.UTF_8));
        assertEquals("", old.owner());
        assertFalse(old.handOver());
        assertEquals(SAVEPOINT.files(), old.files());

        Manifest last = new Manifest(3, 13, Instant.EPOCH, new byte[] {1}, 0, Optional.empty(), List.of(), "sensor-rollup-1", true);
        assertTrue(new String(ManifestCodec.encode(last), StandardCharsets.UTF_8).contains("\"handOver\" : true"));
        assertEquals(last, ManifestCodec.decode(ManifestCodec.encode(last)));
    }

    @Test
    void isReadableJsonWithAFormatVersion() {
        String json = new String(ManifestCodec.encode(SAVEPOINT), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"format\" : 1"), json);
        assertTrue(json.contains("\"savepoint\" : \"before-upgrade\""), json);
        assertTrue(json.contains("\"position\" : \"CAEQAv8A\""), json);
    }

    @Test
    void ignoresUnknownFieldsButRefusesUnknownFormats() throws IOException {
        String json = new String(ManifestCodec.encode(SAVEPOINT), StandardCharsets.UTF_8);
        String withExtra = json.replace("\"watermark\"", "\"later\" : {\"a\" : [1, 2]}, \"watermark\"");
        assertEquals(SAVEPOINT, ManifestCodec.decode(withExtra.getBytes(StandardCharsets.UTF_8)));

        IOException newer = assertThrows(IOException.class, () -> ManifestCodec.decode(
                json.replace("\"format\" : 1", "\"format\" : 2").getBytes(StandardCharsets.UTF_8)));
        assertTrue(newer.getMessage().contains("format 2"), newer.getMessage());
    }

    @Test
    void refusesTruncatedOrIncompleteManifests() {
        byte[] json = ManifestCodec.encode(SAVEPOINT);
        assertThrows(IOException.class, () -> ManifestCodec.decode(java.util.Arrays.copyOf(json, json.length / 2)));
        assertThrows(IOException.class, () -> ManifestCodec.decode(
                new String(json, StandardCharsets.UTF_8).replace("\"sha256\"", "\"sha1\"").getBytes(StandardCharsets.UTF_8)));
        assertThrows(IOException.class, () -> ManifestCodec.decode("[]".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IOException.class, () -> ManifestCodec.decode(new byte[0]));
    }
}
