package io.sensorrollup.source;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Direct-mapped table of recently seen ASCII strings, so repeated device ids and metadata are one String
 * object each instead of one per message. Thread-confined, like the decoder that owns it.
 */
final class StringInterner {

    private static final int SIZE = 4096;
    private static final int MAX_LEN = 64;
    private final byte[][] bytes = new byte[SIZE][];
    private final String[] strings = new String[SIZE];

    /** The String of ASCII bytes {@code buf[from, to)}, whose hash is {@code hash}. */
    String intern(byte[] buf, int from, int to, int hash) {
        int len = to - from;
        if (len > MAX_LEN) {
            return new String(buf, from, len, StandardCharsets.ISO_8859_1);
        }
        int slot = (hash ^ (hash >>> 12)) & (SIZE - 1);
        byte[] cached = bytes[slot];
        if (cached != null && cached.length == len && Arrays.equals(buf, from, to, cached, 0, len)) {
            return strings[slot];
        }
        String s = new String(buf, from, len, StandardCharsets.ISO_8859_1);
        bytes[slot] = Arrays.copyOfRange(buf, from, to);
        strings[slot] = s;
        return s;
    }
}
