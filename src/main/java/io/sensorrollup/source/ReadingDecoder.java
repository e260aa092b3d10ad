package io.sensorrollup.source;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/**
 * Decodes and validates one JSON payload (CONTRACT §1) into a reused {@link Reading}.
 *
 * <p>A hand-written single-pass parser over the byte array: Jackson's streaming parser spent most of
 * its time creating a parser per message and converting number text; this one allocates nothing for a
 * valid reading of known devices (strings are interned in a small per-decoder table).
 *
 * <p>Reasons, in order of precedence:
 * <ol>
 *   <li>{@code not-json}: not one syntactically valid JSON value (including an empty or blank payload,
 *       invalid UTF-8, nesting deeper than {@value #MAX_DEPTH}, and anything but whitespace after it);
 *   <li>{@code not-an-object}: valid JSON that is an array or a scalar;
 *   <li>the first field error in document order: {@code empty-device-id}, {@code device-id-too-long}
 *       (more than 128 code points), {@code bad-timestamp}, {@code before-epoch}, {@code wrong-type:<field>},
 *       {@code not-finite:<field>}, {@code invalid-string:<field>} (a string field holding U+0000 or an
 *       unpaired surrogate, which only a {@code &#92;u} escape can produce: raw, both are {@code not-json});
 *   <li>{@code missing-device-id}, then {@code missing-timestamp}.
 * </ol>
 * {@code null} for a field means absent (so {@code "device_id":null} is {@code missing-device-id}); a field
 * given twice keeps its last value. The timestamp is a JSON integer (epoch millis) or an ISO-8601 string with
 * an offset; either must lie in years 1970..9999 (earlier is {@code before-epoch}). Integer fields take only
 * integer literals (no fraction, no exponent) that fit a signed 64-bit long; packets_* and bytes_* must be
 * {@code >= 0}.
 *
 * <p>Not thread-safe: one decoder per thread, reused for every message.
 */
public final class ReadingDecoder {

    public static final String NOT_JSON = "not-json";
    public static final String NOT_AN_OBJECT = "not-an-object";
    public static final String MISSING_DEVICE_ID = "missing-device-id";
    public static final String EMPTY_DEVICE_ID = "empty-device-id";
    public static final String DEVICE_ID_TOO_LONG = "device-id-too-long";
    public static final String MISSING_TIMESTAMP = "missing-timestamp";
    public static final String BAD_TIMESTAMP = "bad-timestamp";
    public static final String BEFORE_EPOCH = "before-epoch";

    public static final int MAX_DEVICE_ID_CHARS = 128;
    static final int MAX_DEPTH = 1000;
    static final long MAX_TIMESTAMP = 253402300799999L; // 9999-12-31T23:59:59.999Z

    // field ids
    private static final int F_DEVICE_ID = 0, F_TIMESTAMP = 1, F_DEVICE_TYPE = 2, F_CUSTOMER_ID = 3, F_SITE_ID = 4,
            F_POSITION = 5, F_METRIC = 8, F_MOTION = 16, F_COUNTER = 17; // F_POSITION+i, F_METRIC+m, F_COUNTER+c
    private static final String[] FIELD_NAMES = new String[F_COUNTER + Reading.COUNTER_COUNT];
    private static final String[] WRONG_TYPE = new String[FIELD_NAMES.length];
    private static final String[] NOT_FINITE = new String[FIELD_NAMES.length];
    private static final String[] INVALID_STRING = new String[FIELD_NAMES.length];
    private static final int TABLE_SIZE = 64;
    private static final byte[][] TABLE_NAMES = new byte[TABLE_SIZE][];
    private static final int[] TABLE_IDS = new int[TABLE_SIZE];

    static {
        FIELD_NAMES[F_DEVICE_ID] = "device_id";
        FIELD_NAMES[F_TIMESTAMP] = "timestamp";
        FIELD_NAMES[F_DEVICE_TYPE] = "device_type";
        FIELD_NAMES[F_CUSTOMER_ID] = "customer_id";
        FIELD_NAMES[F_SITE_ID] = "site_id";
        FIELD_NAMES[F_POSITION + Reading.LATITUDE] = "latitude";
        FIELD_NAMES[F_POSITION + Reading.LONGITUDE] = "longitude";
        FIELD_NAMES[F_POSITION + Reading.ALTITUDE] = "altitude";
        for (int m = 0; m < Reading.METRIC_COUNT; m++) {
            FIELD_NAMES[F_METRIC + m] = Reading.METRICS[m];
        }
        FIELD_NAMES[F_MOTION] = "motion_detected";
        for (int c = 0; c < Reading.COUNTER_COUNT; c++) {
            FIELD_NAMES[F_COUNTER + c] = Reading.COUNTERS[c];
        }
        for (int id = 0; id < FIELD_NAMES.length; id++) {
            WRONG_TYPE[id] = "wrong-type:" + FIELD_NAMES[id];
            NOT_FINITE[id] = "not-finite:" + FIELD_NAMES[id];
            INVALID_STRING[id] = "invalid-string:" + FIELD_NAMES[id];
            byte[] name = FIELD_NAMES[id].getBytes(StandardCharsets.US_ASCII);
            int slot = hashBytes(name, 0, name.length) & (TABLE_SIZE - 1);
            while (TABLE_NAMES[slot] != null) {
                slot = (slot + 1) & (TABLE_SIZE - 1);
            }
            TABLE_NAMES[slot] = name;
            TABLE_IDS[slot] = id;
        }
    }

    /**
     * Each known name plus its closing quote as little-endian 8-byte words (the last word overlapping the one
     * before it), so a predicted name is checked with one to three long compares instead of hashing it.
     */
    private static final long[][] NAME_WORDS = new long[FIELD_NAMES.length][];
    private static final int[][] NAME_WORD_OFFSETS = new int[FIELD_NAMES.length][];
    private static final long[] SHORT_NAME_MASK = new long[FIELD_NAMES.length];
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static {
        for (int id = 0; id < FIELD_NAMES.length; id++) {
            byte[] quoted = (FIELD_NAMES[id] + "\"").getBytes(StandardCharsets.US_ASCII);
            byte[] padded = java.util.Arrays.copyOf(quoted, Math.max(8, quoted.length));
            int n = quoted.length;
            if (n <= 8) {
                NAME_WORDS[id] = new long[] {(long) LONG_LE.get(padded, 0)};
                NAME_WORD_OFFSETS[id] = new int[] {0};
                SHORT_NAME_MASK[id] = n == 8 ? -1L : (1L << (8 * n)) - 1;
            } else {
                int words = (n + 7) / 8;
                NAME_WORDS[id] = new long[words];
                NAME_WORD_OFFSETS[id] = new int[words];
                for (int w = 0; w < words; w++) {
                    int off = Math.min(8 * w, n - 8);
                    NAME_WORD_OFFSETS[id][w] = off;
                    NAME_WORDS[id][w] = (long) LONG_LE.get(quoted, off);
                }
                SHORT_NAME_MASK[id] = -1L;
            }
        }
    }

    private static final long[] POW10_LONG = {
        1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L
    };

    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22
    };

    /** Thrown (preallocated, no stack trace) on a syntax error; caught inside {@link #decode}. */
    private static final class SyntaxError extends RuntimeException {
        SyntaxError() {
            super("not-json", null, false, false);
        }
    }

    private static final SyntaxError SYNTAX = new SyntaxError();

    private byte[] b;
    private int p;
    private int end;
    private Reading r;
    private String fieldError;
    private boolean hasDeviceId;
    private boolean hasTimestamp;

    // last number parsed
    private boolean numIsInteger;
    private boolean numFitsLong;
    private long numLong;
    private double numDouble;
    private int numStart;
    private long numMant;
    private int numDigits;
    private boolean numOverflow;

    // last string parsed: either a raw ASCII range [strStart, strEnd) of b, or strDecoded when it had escapes
    // or non-ASCII bytes
    private int strStart;
    private int strEnd;
    private int strHash;
    private String strDecoded;
    private boolean strUnstorable; // strDecoded holds U+0000 or a lone surrogate
    private final StringBuilder sb = new StringBuilder();
    /**
     * Recent successors of each field, most recent first: {@code PREDICTIONS} slots at
     * {@code [(id + 1) * PREDICTIONS]} ({@code id = -1}: the first field). Payloads of one device kind repeat
     * one field order, and a partition mixes a few kinds, so a few guesses find most names without hashing.
     */
    private static final int PREDICTIONS = 4;
    private final int[] nextField = new int[(FIELD_NAMES.length + 1) * PREDICTIONS];
    private final StringInterner interner = new StringInterner();

    public ReadingDecoder() {
        java.util.Arrays.fill(nextField, -1);
    }

    /** Decodes {@code buf[off, off+len)} into {@code into}: {@code null} when valid, else the reason. */
    public String decode(byte[] buf, int off, int len, Reading into) {
        into.clear();
        b = buf;
        p = off;
        end = off + len;
        r = into;
        fieldError = null;
        hasDeviceId = false;
        hasTimestamp = false;
        try {
            skipWs();
            if (p >= end) {
                return NOT_JSON;
            }
            boolean object = b[p] == '{';
            if (object) {
                parseObject();
            } else {
                skipValue(0);
            }
            skipWs();
            if (p != end) {
                return NOT_JSON;
            }
            if (!object) {
                return NOT_AN_OBJECT;
            }
        } catch (SyntaxError e) {
            return NOT_JSON;
        } finally {
            b = null;
            r = null;
        }
        if (fieldError != null) {
            return fieldError;
        }
        if (!hasDeviceId) {
            return MISSING_DEVICE_ID;
        }
        if (!hasTimestamp) {
            return MISSING_TIMESTAMP;
        }
        return null;
    }

    public String decode(byte[] buf, Reading into) {
        return decode(buf, 0, buf.length, into);
    }

    private void parseObject() {
        p++; // '{'
        skipWs();
        if (peek() == '}') {
            p++;
            return;
        }
        int previous = -1;
        while (true) {
            if (peek() != '"') {
                throw SYNTAX;
            }
            int id = predictName(previous);
            if (id >= 0) {
                p += FIELD_NAMES[id].length() + 2;
            } else {
                id = parseFieldName();
                if (id >= 0) {
                    remember(previous, id);
                }
            }
            previous = id;
            skipWs();
            if (peek() != ':') {
                throw SYNTAX;
            }
            p++;
            skipWs();
            if (id < 0) {
                skipValue(1);
            } else {
                parseField(id);
            }
            skipWs();
            byte c = peek();
            p++;
            if (c == ',') {
                skipWs();
                continue;
            }
            if (c == '}') {
                return;
            }
            throw SYNTAX;
        }
    }

    /** The id of the field name at {@code p} when it is one of the recent successors of {@code previous}, else -1. */
    private int predictName(int previous) {
        int base = (previous + 1) * PREDICTIONS;
        for (int k = 0; k < PREDICTIONS; k++) {
            int id = nextField[base + k];
            if (id < 0) {
                return -1;
            }
            if (matchesName(id, p + 1)) {
                return id;
            }
        }
        return -1;
    }

    /** Puts {@code id} first among the successors of {@code previous}. */
    private void remember(int previous, int id) {
        int base = (previous + 1) * PREDICTIONS;
        int k = 0;
        while (k < PREDICTIONS - 1 && nextField[base + k] != id) {
            k++;
        }
        for (; k > 0; k--) {
            nextField[base + k] = nextField[base + k - 1];
        }
        nextField[base] = id;
    }

    /** Whether {@code b[at..]} holds the name of field {@code id} followed by its closing quote. */
    private boolean matchesName(int id, int at) {
        int[] offsets = NAME_WORD_OFFSETS[id];
        if (at + offsets[offsets.length - 1] + 8 > end) {
            return false; // too close to the end for word reads: the slow path decides
        }
        long[] words = NAME_WORDS[id];
        if (((long) LONG_LE.get(b, at + offsets[0]) & SHORT_NAME_MASK[id]) != words[0]) {
            return false;
        }
        for (int w = 1; w < words.length; w++) {
            if ((long) LONG_LE.get(b, at + offsets[w]) != words[w]) {
                return false;
            }
        }
        return true;
    }

    /** Reads a quoted field name; returns the known field's id or -1. */
    private int parseFieldName() {
        parseString();
        if (strDecoded != null) {
            for (int id = 0; id < FIELD_NAMES.length; id++) {
                if (FIELD_NAMES[id].equals(strDecoded)) {
                    return id;
                }
            }
            return -1;
        }
        int len = strEnd - strStart;
        int slot = strHash & (TABLE_SIZE - 1);
        byte[] name;
        while ((name = TABLE_NAMES[slot]) != null) {
            if (name.length == len && Arrays.equals(b, strStart, strEnd, name, 0, len)) {
                return TABLE_IDS[slot];
            }
            slot = (slot + 1) & (TABLE_SIZE - 1);
        }
        return -1;
    }

    private void parseField(int id) {
        byte c = peek();
        if (c == 'n') {
            expectLiteral("null");
            clearField(id);
            return;
        }
        switch (id) {
            case F_DEVICE_ID:
                if (c != '"') {
                    skipValue(1);
                    fail(WRONG_TYPE[id]);
                    return;
                }
                parseString();
                failIfUnstorable(id);
                String deviceId = takeString();
                if (deviceId.isEmpty()) {
                    fail(EMPTY_DEVICE_ID);
                } else if (deviceId.length() > MAX_DEVICE_ID_CHARS
                        && deviceId.codePointCount(0, deviceId.length()) > MAX_DEVICE_ID_CHARS) {
                    fail(DEVICE_ID_TOO_LONG);
                }
                r.deviceId = deviceId;
                hasDeviceId = true;
                return;
            case F_TIMESTAMP:
                parseTimestamp(c);
                return;
            case F_DEVICE_TYPE:
            case F_CUSTOMER_ID:
            case F_SITE_ID:
                if (c != '"') {
                    skipValue(1);
                    fail(WRONG_TYPE[id]);
                    return;
                }
                parseString();
                failIfUnstorable(id);
                // metadata is only used from the first reading of a window: made a String on demand
                if (strDecoded != null) {
                    r.setMetadata(id - F_DEVICE_TYPE, strDecoded);
                } else {
                    r.setLazyMetadata(id - F_DEVICE_TYPE, b, strStart, strEnd, strHash, interner);
                }
                return;
            case F_MOTION:
                if (c == 't') {
                    expectLiteral("true");
                    r.motionDetected = true;
                } else if (c == 'f') {
                    expectLiteral("false");
                    r.motionDetected = false;
                } else {
                    skipValue(1);
                    fail(WRONG_TYPE[id]);
                }
                return;
            default:
                break;
        }
        if (c != '-' && (c < '0' || c > '9')) {
            skipValue(1);
            fail(WRONG_TYPE[id]);
            return;
        }
        parseNumber();
        if (id >= F_COUNTER) {
            int counter = id - F_COUNTER;
            if (!numIsInteger || !numFitsLong || (counter >= 2 && numLong < 0)) {
                fail(WRONG_TYPE[id]);
                return;
            }
            r.counters[counter] = numLong;
            return;
        }
        double v = numValue();
        if (Double.isInfinite(v)) {
            fail(NOT_FINITE[id]);
            return;
        }
        if (id >= F_METRIC) {
            r.metrics[id - F_METRIC] = v;
            r.metricsPresent |= 1 << (id - F_METRIC);
        } else {
            r.position[id - F_POSITION] = v;
            r.positionPresent |= 1 << (id - F_POSITION);
        }
    }

    private void clearField(int id) {
        switch (id) {
            case F_DEVICE_ID -> {
                r.deviceId = null;
                hasDeviceId = false;
            }
            case F_TIMESTAMP -> {
                r.timestamp = 0;
                hasTimestamp = false;
            }
            case F_DEVICE_TYPE, F_CUSTOMER_ID, F_SITE_ID -> r.setMetadata(id - F_DEVICE_TYPE, null);
            case F_MOTION -> r.motionDetected = false;
            default -> {
                if (id >= F_COUNTER) {
                    r.counters[id - F_COUNTER] = 0;
                } else if (id >= F_METRIC) {
                    r.metricsPresent &= ~(1 << (id - F_METRIC));
                } else {
                    r.positionPresent &= ~(1 << (id - F_POSITION));
                }
            }
        }
    }

    private void parseTimestamp(byte c) {
        if (c == '"') {
            parseString();
            long ts;
            try {
                String text = strDecoded != null ? strDecoded
                        : new String(b, strStart, strEnd - strStart, StandardCharsets.ISO_8859_1);
                ts = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e) {
                fail(BAD_TIMESTAMP);
                return;
            }
            setTimestamp(ts);
            return;
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            parseNumber();
            if (!numIsInteger || !numFitsLong) {
                fail(BAD_TIMESTAMP);
                return;
            }
            setTimestamp(numLong);
            return;
        }
        skipValue(1);
        fail(BAD_TIMESTAMP);
    }

    private void setTimestamp(long ts) {
        if (ts < 0) {
            fail(BEFORE_EPOCH); // ClickHouse's DateTime would wrap it
            return;
        }
        if (ts > MAX_TIMESTAMP) {
            fail(BAD_TIMESTAMP);
            return;
        }
        r.timestamp = ts;
        hasTimestamp = true;
    }

    private void failIfUnstorable(int id) {
        if (strDecoded != null && strUnstorable) {
            fail(INVALID_STRING[id]);
        }
    }

    private void fail(String reason) {
        if (fieldError == null) {
            fieldError = reason;
        }
    }

    // ---- lexical level ----

    private byte peek() {
        if (p >= end) {
            throw SYNTAX;
        }
        return b[p];
    }

    private void skipWs() {
        while (p < end) {
            byte c = b[p];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            p++;
        }
    }

    private void expectLiteral(String lit) {
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

    private void skipValue(int depth) {
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
                throw SYNTAX;
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
                throw SYNTAX;
            }
            int c = b[p] & 0xFF;
            if (c == '"') {
                p++;
                break;
            }
            if (c < 0x20) {
                throw SYNTAX;
            }
            if (c == '\\') {
                p++;
                byte e = peek();
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
                            throw SYNTAX;
                        }
                        int v = 0;
                        for (int i = 0; i < 4; i++) {
                            int d = Character.digit(b[p++], 16);
                            if (d < 0) {
                                throw SYNTAX;
                            }
                            v = v * 16 + d;
                        }
                        sb.append((char) v);
                        suspect |= v == 0 || Character.isSurrogate((char) v);
                    }
                    default -> throw SYNTAX;
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
            throw SYNTAX;
        }
        if (end - p <= need) {
            throw SYNTAX;
        }
        p++;
        for (int i = 0; i < need; i++) {
            int x = b[p++] & 0xFF;
            if ((x & 0xC0) != 0x80) {
                throw SYNTAX;
            }
            cp = (cp << 6) | (x & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            throw SYNTAX;
        }
        sb.appendCodePoint(cp);
    }

    /** The string just parsed, as a String (interned per decoder when it was plain ASCII). */
    private String takeString() {
        if (strDecoded != null) {
            return strDecoded;
        }
        return interner.intern(b, strStart, strEnd, strHash);
    }

    /**
     * Scans a JSON number. Integers that fit a long are exact; other numbers are converted exactly when the
     * significand has at most 15 digits and the decimal exponent is within ±22 (both exact doubles, so one
     * correctly rounded multiplication or division), else by {@link Double#parseDouble}.
     */
    private void parseNumber() {
        int start = p;
        boolean neg = false;
        if (b[p] == '-') {
            neg = true;
            p++;
        }
        if (p >= end) {
            throw SYNTAX;
        }
        numMant = 0;
        numDigits = 0;
        numOverflow = false;
        byte c = b[p];
        if (c == '0') {
            p++;
        } else if (c >= '1' && c <= '9') {
            digitRun();
        } else {
            throw SYNTAX;
        }
        int intEnd = p;
        int fracDigits = 0;
        boolean integer = true;
        if (p < end && b[p] == '.') {
            integer = false;
            p++;
            int before = numDigits;
            if (digitRun() == 0) {
                throw SYNTAX;
            }
            fracDigits = numDigits - before;
        }
        int exp = 0;
        if (p < end && (b[p] == 'e' || b[p] == 'E')) {
            integer = false;
            p++;
            boolean expNeg = false;
            if (p < end && (b[p] == '+' || b[p] == '-')) {
                expNeg = b[p] == '-';
                p++;
            }
            int es = p;
            while (p < end && (c = b[p]) >= '0' && c <= '9') {
                if (exp < 100000) {
                    exp = exp * 10 + (c - '0');
                }
                p++;
            }
            if (p == es) {
                throw SYNTAX;
            }
            if (expNeg) {
                exp = -exp;
            }
        }
        numStart = start;
        numIsInteger = integer;
        long mant = numMant;
        if (integer) {
            if (!numOverflow) {
                numFitsLong = true;
                numLong = neg ? -mant : mant;
            } else {
                // 19+ digits: may still fit a long
                try {
                    numLong = Long.parseLong(new String(b, start, intEnd - start, StandardCharsets.ISO_8859_1));
                    numFitsLong = true;
                } catch (NumberFormatException e) {
                    numFitsLong = false;
                }
            }
            return;
        }
        numFitsLong = false;
        int e10 = exp - fracDigits;
        if (!numOverflow && numDigits <= 15 && e10 >= -22 && e10 <= 22) {
            double d = (double) mant;
            d = e10 >= 0 ? d * POW10[e10] : d / POW10[-e10];
            numDouble = neg ? -d : d;
        } else {
            numDouble = Double.parseDouble(new String(b, start, p - start, StandardCharsets.ISO_8859_1));
        }
    }

    /**
     * Consumes the digits at {@code p}, eight at a time where the buffer allows, appending them to
     * {@code numMant} (up to 18 digits, after that {@code numOverflow}). Returns how many it consumed.
     */
    private int digitRun() {
        int s = p;
        while (end - p >= 8) {
            long w = (long) LONG_LE.get(b, p);
            int n = leadingDigits(w);
            if (n == 0) {
                return p - s;
            }
            if (numDigits + n <= 18) {
                numMant = numMant * POW10_LONG[n] + eightDigits(w << (64 - 8 * n));
                numDigits += n;
            } else {
                numOverflow = true;
            }
            p += n;
            if (n < 8) {
                return p - s;
            }
        }
        byte c;
        while (p < end && (c = b[p]) >= '0' && c <= '9') {
            if (numDigits < 18) {
                numMant = numMant * 10 + (c - '0');
                numDigits++;
            } else {
                numOverflow = true;
            }
            p++;
        }
        return p - s;
    }

    /** How many of the 8 bytes of {@code w} (first byte lowest) are ASCII digits before the first other byte. */
    static int leadingDigits(long w) {
        long high = (w & 0xF0F0F0F0F0F0F0F0L) ^ 0x3030303030303030L;
        long plus6 = ((w + 0x0606060606060606L) & 0xF0F0F0F0F0F0F0F0L) ^ 0x3030303030303030L;
        return Long.numberOfTrailingZeros(high | plus6) >>> 3;
    }

    /** The value of 8 ASCII digits (first byte lowest, most significant; zero bytes count as leading zeros). */
    static long eightDigits(long w) {
        w = (w & 0x0F0F0F0F0F0F0F0FL) * 2561 >>> 8;
        w = (w & 0x00FF00FF00FF00FFL) * 6553601 >>> 16;
        return (w & 0x0000FFFF0000FFFFL) * 42949672960001L >>> 32;
    }

    private double numValue() {
        if (numIsInteger) {
            if (numFitsLong && Math.abs(numLong) < (1L << 53)) {
                return (double) numLong;
            }
            return Double.parseDouble(new String(b, numStart, p - numStart, StandardCharsets.ISO_8859_1));
        }
        return numDouble;
    }
}
