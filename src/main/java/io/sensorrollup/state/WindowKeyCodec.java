package io.sensorrollup.state;

import io.sensorrollup.window.ByteWriter;
import io.sensorrollup.window.WindowKey;
import java.nio.charset.StandardCharsets;

/**
 * Keys of the {@code windows} column family, ordered by device id, then window size, then window start:
 * <pre>
 * device_id UTF-8 with 0x00 written as 0x00 0xFF | 0x00 0x01 | size_ms (8 bytes big-endian)
 * | window_start (8 bytes big-endian, sign bit flipped)
 * </pre>
 * The escaped terminator keeps byte order equal to (device id, size, start) order even for ids that
 * contain U+0000 or are prefixes of each other. Ids never hold an unpaired surrogate (the decoder rejects them,
 * {@code invalid-string:device_id}): UTF-8 has no encoding for one and would write '?', the key of another id.
 */
final class WindowKeyCodec {

    private final ByteWriter buf = new ByteWriter(64);

    byte[] encode(WindowKey key) {
        buf.reset();
        String id = key.deviceId();
        byte[] utf8 = id.getBytes(StandardCharsets.UTF_8);
        for (byte b : utf8) {
            buf.writeByte(b);
            if (b == 0) {
                buf.writeByte(0xFF);
            }
        }
        buf.writeByte(0);
        buf.writeByte(1);
        buf.writeLong(key.sizeMillis());
        buf.writeLong(key.start() ^ Long.MIN_VALUE);
        return buf.toByteArray();
    }

    static WindowKey decode(byte[] k) {
        ByteWriter id = new ByteWriter(k.length);
        int i = 0;
        while (true) {
            if (i + 1 >= k.length) {
                throw new IllegalArgumentException("malformed window key");
            }
            byte b = k[i];
            if (b == 0) {
                if (k[i + 1] == 1) {
                    i += 2;
                    break;
                }
                if (k[i + 1] != (byte) 0xFF) {
                    throw new IllegalArgumentException("malformed window key");
                }
                id.writeByte(0);
                i += 2;
                continue;
            }
            id.writeByte(b);
            i++;
        }
        if (k.length - i != 16) {
            throw new IllegalArgumentException("malformed window key");
        }
        long size = readLong(k, i);
        long start = readLong(k, i + 8) ^ Long.MIN_VALUE;
        return new WindowKey(new String(id.array(), 0, id.length(), StandardCharsets.UTF_8), size, start);
    }

    private static long readLong(byte[] b, int off) {
        long v = 0;
        for (int j = 0; j < 8; j++) {
            v = (v << 8) | (b[off + j] & 0xFF);
        }
        return v;
    }
}
