package io.sensorrollup.source;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The last JSON string {@link JsonCursor} scanned: pure ASCII without escapes (the common case) stays where it is,
 * a range of the buffer with its hash; anything else is decoded into a String, its UTF-8 checked.
 */
final class JsonString {

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] b;
    private int p;
    private int end;
    // either a raw ASCII range [strStart, strEnd) of b, or strDecoded when it had escapes or non-ASCII bytes
    private int strStart;
    private int strEnd;
    private int strHash;
    private String strDecoded;
    private boolean strUnstorable; // strDecoded holds U+0000 or a lone surrogate
    private final StringBuilder sb = new StringBuilder();

    /** Scans the string whose opening quote is {@code buf[at]}; returns where it ends, after its closing quote. */
    int scan(byte[] buf, int at, int limit) {
        b = buf;
        p = at;
        end = limit;
        try {
            parseString();
            return p;
        } finally {
            b = null;
        }
    }

    /** Whether it needed decoding (escapes, non-ASCII): then {@link #decoded()} holds it. */
    boolean wasDecoded() {
        return strDecoded != null;
    }

    String decoded() {
        return strDecoded;
    }

    /** Whether it holds U+0000 or an unpaired surrogate (only an escape can make either). */
    boolean unstorable() {
        return strDecoded != null && strUnstorable;
    }

    /** Where a plain string starts in the buffer it was scanned from. */
    int start() {
        return strStart;
    }

    int end() {
        return strEnd;
    }

    int hash() {
        return strHash;
    }

    /**
     * Scans a string starting at the opening quote. Pure ASCII without escapes (the common case) leaves the
     * range in strStart/strEnd and its hash in strHash; anything else is decoded into strDecoded. Looks at
     * eight bytes per step for the closing quote, a backslash, a control character or a non-ASCII byte.
     */
    private void parseString() {
        int start = ++p;
        long h = 0;
        while (end - p >= 8) {
            long w = (long) LONG_LE.get(b, p);
            long special = specialBytes(w);
            if (special != 0) {
                int n = Long.numberOfTrailingZeros(special) >>> 3;
                if (b[p + n] != '"') {
                    p += n;
                    parseStringSlow(start);
                    return;
                }
                if (n > 0) {
                    h = mixWord(h, w & ((1L << (8 * n)) - 1));
                }
                strStart = start;
                strEnd = p + n;
                strHash = foldHash(h);
                strDecoded = null;
                p += n + 1;
                return;
            }
            h = mixWord(h, w);
            p += 8;
        }
        long last = 0;
        int k = 0;
        while (true) {
            if (p >= end) {
                throw JsonCursor.SYNTAX;
            }
            byte c = b[p];
            if (c == '"') {
                if (k > 0) {
                    h = mixWord(h, last);
                }
                strStart = start;
                strEnd = p++;
                strHash = foldHash(h);
                strDecoded = null;
                return;
            }
            if (c == '\\' || c < 0x20) { // escapes, control characters, and every non-ASCII byte (negative)
                break;
            }
            last |= (long) (c & 0xFF) << (8 * k++);
            p++;
        }
        parseStringSlow(start);
    }

    /** A high bit in each byte of {@code w} that is '"', '\\', below 0x20 or above 0x7F (exact up to the first). */
    private static long specialBytes(long w) {
        long quote = w ^ 0x2222222222222222L;
        long backslash = w ^ 0x5C5C5C5C5C5C5C5CL;
        return ((quote - 0x0101010101010101L) & ~quote
                | (backslash - 0x0101010101010101L) & ~backslash
                | (w - 0x2020202020202020L) & ~w
                | w) & 0x8080808080808080L;
    }

    private static long mixWord(long h, long word) {
        return (h ^ word) * 0x9E3779B97F4A7C15L;
    }

    private static int foldHash(long h) {
        return (int) (h ^ (h >>> 29) ^ (h >>> 47));
    }

    /** The hash {@link #parseString} computes for ASCII bytes {@code [from, to)}: 8-byte little-endian words. */
    static int hashBytes(byte[] a, int from, int to) {
        long h = 0;
        long word = 0;
        int k = 0;
        for (int i = from; i < to; i++) {
            word |= (long) (a[i] & 0xFF) << (8 * k++);
            if (k == 8) {
                h = mixWord(h, word);
                word = 0;
                k = 0;
            }
        }
        if (k > 0) {
            h = mixWord(h, word);
        }
        return foldHash(h);
    }

    private void parseStringSlow(int start) {
        sb.setLength(0);
        sb.append(new String(b, start, p - start, StandardCharsets.ISO_8859_1));
        boolean suspect = false; // an escape made U+0000 or a surrogate
        while (true) {
            if (p >= end) {
                throw JsonCursor.SYNTAX;
            }
            int c = b[p] & 0xFF;
            if (c == '"') {
                p++;
                break;
            }
            if (c < 0x20) {
                throw JsonCursor.SYNTAX;
            }
            if (c == '\\') {
                p++;
                if (p >= end) {
                    throw JsonCursor.SYNTAX;
                }
                byte e = b[p];
                p++;
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case '/' -> sb.append('/');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (end - p < 4) {
                            throw JsonCursor.SYNTAX;
                        }
                        int v = 0;
                        for (int i = 0; i < 4; i++) {
                            int d = Character.digit(b[p++], 16);
                            if (d < 0) {
                                throw JsonCursor.SYNTAX;
                            }
                            v = v * 16 + d;
                        }
                        sb.append((char) v);
                        suspect |= v == 0 || Character.isSurrogate((char) v);
                    }
                    default -> throw JsonCursor.SYNTAX;
                }
            } else if (c < 0x80) {
                sb.append((char) c);
                p++;
            } else {
                appendUtf8(c);
            }
        }
        strDecoded = sb.toString();
        strUnstorable = suspect && !StringContent.isStorable(sb);
    }

    /** Appends one validated UTF-8 sequence whose lead byte is {@code c} (>= 0x80). */
    private void appendUtf8(int c) {
        int need;
        int cp;
        int min;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
            cp = c & 0x1F;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            cp = c & 0x0F;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            cp = c & 0x07;
            min = 0x10000;
        } else {
            throw JsonCursor.SYNTAX;
        }
        if (end - p <= need) {
            throw JsonCursor.SYNTAX;
        }
        p++;
        for (int i = 0; i < need; i++) {
            int x = b[p++] & 0xFF;
            if ((x & 0xC0) != 0x80) {
                throw JsonCursor.SYNTAX;
            }
            cp = (cp << 6) | (x & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            throw JsonCursor.SYNTAX;
        }
        sb.appendCodePoint(cp);
    }
}
