package io.sensorrollup.source;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A single pass over one JSON document in a byte array, at the lexical level: whitespace, literals, strings (with
 * their UTF-8 checked and their escapes decoded), numbers ({@link JsonNumber}) and values skipped whole. What the
 * values mean is {@link ReadingDecoder}'s business. A syntax error throws {@link #SYNTAX}, preallocated, without a
 * stack trace.
 *
 * <p>A string is left where it is when it is plain ASCII without escapes (the common case), and made a String
 * only when asked ({@link JsonString}). Strings and names are read eight bytes per step.
 */
final class JsonCursor {

    /** Deeper nesting is {@code not-json}: skipping recurses. */
    static final int MAX_DEPTH = 1000;

    static final class SyntaxError extends RuntimeException {
        SyntaxError() {
            super("not-json", null, false, false);
        }
    }

    static final SyntaxError SYNTAX = new SyntaxError();

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] b;
    private int p;
    private int end;

    private final JsonString string = new JsonString();
    private final StringInterner interner = new StringInterner();
    private final JsonNumber number = new JsonNumber();

    /** Starts on {@code buf[off, off+len)}. */
    void reset(byte[] buf, int off, int len) {
        b = buf;
        p = off;
        end = off + len;
    }

    /** Lets the buffer go. */
    void release() {
        b = null;
    }

    boolean atEnd() {
        return p >= end;
    }

    /** Moves past {@code n} bytes the caller has matched already. */
    void skip(int n) {
        p += n;
    }

    /** Moves past the byte {@link #peek()} returned. */
    void advance() {
        p++;
    }

    /**
     * Whether the bytes after the current one are {@code words} (little-endian 8-byte words at {@code offsets}, the
     * first masked with {@code firstMask}): a known name checked with one to three long compares. False too close
     * to the end for word reads, where the caller's slow path decides.
     */
    boolean nextBytesAre(long[] words, int[] offsets, long firstMask) {
        int at = p + 1;
        if (at + offsets[offsets.length - 1] + 8 > end) {
            return false;
        }
        if (((long) LONG_LE.get(b, at + offsets[0]) & firstMask) != words[0]) {
            return false;
        }
        for (int w = 1; w < words.length; w++) {
            if ((long) LONG_LE.get(b, at + offsets[w]) != words[w]) {
                return false;
            }
        }
        return true;
    }

    byte peek() {
        if (p >= end) {
            throw SYNTAX;
        }
        return b[p];
    }

    void skipWs() {
        while (p < end) {
            byte c = b[p];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            p++;
        }
    }

    void expectLiteral(String lit) {
        int n = lit.length();
        if (end - p < n) {
            throw SYNTAX;
        }
        for (int i = 0; i < n; i++) {
            if (b[p + i] != lit.charAt(i)) {
                throw SYNTAX;
            }
        }
        p += n;
    }

    void skipValue(int depth) {
        if (depth > MAX_DEPTH) {
            throw SYNTAX;
        }
        byte c = peek();
        switch (c) {
            case '{' -> {
                p++;
                skipWs();
                if (peek() == '}') {
                    p++;
                    return;
                }
                while (true) {
                    if (peek() != '"') {
                        throw SYNTAX;
                    }
                    parseString();
                    skipWs();
                    if (peek() != ':') {
                        throw SYNTAX;
                    }
                    p++;
                    skipWs();
                    skipValue(depth + 1);
                    skipWs();
                    byte x = peek();
                    p++;
                    if (x == '}') {
                        return;
                    }
                    if (x != ',') {
                        throw SYNTAX;
                    }
                    skipWs();
                }
            }
            case '[' -> {
                p++;
                skipWs();
                if (peek() == ']') {
                    p++;
                    return;
                }
                while (true) {
                    skipValue(depth + 1);
                    skipWs();
                    byte x = peek();
                    p++;
                    if (x == ']') {
                        return;
                    }
                    if (x != ',') {
                        throw SYNTAX;
                    }
                    skipWs();
                }
            }
            case '"' -> parseString();
            case 't' -> expectLiteral("true");
            case 'f' -> expectLiteral("false");
            case 'n' -> expectLiteral("null");
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    parseNumber();
                } else {
                    throw SYNTAX;
                }
            }
        }
    }

    /** Scans the string at the cursor (at its opening quote). */
    void parseString() {
        p = string.scan(b, p, end);
    }

    /** Whether the string just parsed needed decoding (escapes, non-ASCII): then {@link #decoded()} holds it. */
    boolean stringWasDecoded() {
        return string.wasDecoded();
    }

    String decoded() {
        return string.decoded();
    }

    /** Whether the string just parsed holds U+0000 or an unpaired surrogate (only an escape can make either). */
    boolean stringUnstorable() {
        return string.unstorable();
    }

    /** Whether the plain string just parsed is {@code name} (ASCII bytes). */
    boolean stringIs(byte[] name) {
        int from = string.start();
        int len = string.end() - from;
        return name.length == len && Arrays.equals(b, from, from + len, name, 0, len);
    }

    int stringHash() {
        return string.hash();
    }

    /** The string just parsed as text, decoded or not (ISO-8859-1 is exact for plain ASCII). */
    String stringText() {
        return string.wasDecoded() ? string.decoded()
                : new String(b, string.start(), string.end() - string.start(), StandardCharsets.ISO_8859_1);
    }

    /** The string just parsed, as a String (interned per cursor when it was plain ASCII). */
    String takeString() {
        if (string.wasDecoded()) {
            return string.decoded();
        }
        return interner.intern(b, string.start(), string.end(), string.hash());
    }

    /** Hands the string just parsed to {@code into}'s metadata slot {@code i}, made a String only when needed. */
    void stringToMetadata(Reading into, int i) {
        if (string.wasDecoded()) {
            into.setMetadata(i, string.decoded());
        } else {
            into.setLazyMetadata(i, b, string.start(), string.end(), string.hash(), interner);
        }
    }

    /** Scans the number at the cursor; {@link #number()} holds it. */
    void parseNumber() {
        p = number.scan(b, p, end);
    }

    JsonNumber number() {
        return number;
    }

    double numberValue() {
        return number.doubleValue(b);
    }
}
