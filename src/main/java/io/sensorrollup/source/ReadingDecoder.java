package io.sensorrollup.source;

import static io.sensorrollup.source.ReadingFields.F_COUNTER;
import static io.sensorrollup.source.ReadingFields.F_CUSTOMER_ID;
import static io.sensorrollup.source.ReadingFields.F_DEVICE_ID;
import static io.sensorrollup.source.ReadingFields.F_DEVICE_TYPE;
import static io.sensorrollup.source.ReadingFields.F_METRIC;
import static io.sensorrollup.source.ReadingFields.F_MOTION;
import static io.sensorrollup.source.ReadingFields.F_POSITION;
import static io.sensorrollup.source.ReadingFields.F_SITE_ID;
import static io.sensorrollup.source.ReadingFields.F_TIMESTAMP;
import static io.sensorrollup.source.ReadingFields.INVALID_STRING;
import static io.sensorrollup.source.ReadingFields.NAMES;
import static io.sensorrollup.source.ReadingFields.NOT_FINITE;
import static io.sensorrollup.source.ReadingFields.WRONG_TYPE;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/**
 * Decodes and validates one JSON payload (CONTRACT §1) into a reused {@link Reading}.
 *
 * <p>The contract's schema over a hand-written single-pass JSON reader ({@link JsonCursor}): Jackson's streaming
 * parser spent most of its time creating a parser per message and converting number text; this one allocates
 * nothing for a valid reading of known devices (strings are interned in a small per-decoder table). The fields,
 * their names and the reasons that name them are in {@link ReadingFields}.
 *
 * <p>Reasons, in order of precedence:
 * <ol>
 *   <li>{@code not-json}: not one syntactically valid JSON value (including an empty or blank payload,
 *       invalid UTF-8, nesting deeper than {@value JsonCursor#MAX_DEPTH}, and anything but whitespace after it);
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
    static final long MAX_TIMESTAMP = 253402300799999L; // 9999-12-31T23:59:59.999Z

    private final JsonCursor in = new JsonCursor();
    private Reading r;
    private String fieldError;
    private boolean hasDeviceId;
    private boolean hasTimestamp;

    /**
     * Recent successors of each field, most recent first: {@code PREDICTIONS} slots at
     * {@code [(id + 1) * PREDICTIONS]} ({@code id = -1}: the first field). Payloads of one device kind repeat
     * one field order, and a partition mixes a few kinds, so a few guesses find most names without hashing.
     */
    private static final int PREDICTIONS = 4;
    private final int[] nextField = new int[(NAMES.length + 1) * PREDICTIONS];

    public ReadingDecoder() {
        Arrays.fill(nextField, -1);
    }

    /** Decodes {@code buf[off, off+len)} into {@code into}: {@code null} when valid, else the reason. */
    public String decode(byte[] buf, int off, int len, Reading into) {
        into.clear();
        in.reset(buf, off, len);
        r = into;
        fieldError = null;
        hasDeviceId = false;
        hasTimestamp = false;
        try {
            in.skipWs();
            if (in.atEnd()) {
                return NOT_JSON;
            }
            boolean object = in.peek() == '{';
            if (object) {
                parseObject();
            } else {
                in.skipValue(0);
            }
            in.skipWs();
            if (!in.atEnd()) {
                return NOT_JSON;
            }
            if (!object) {
                return NOT_AN_OBJECT;
            }
        } catch (JsonCursor.SyntaxError e) {
            return NOT_JSON;
        } finally {
            in.release();
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
        in.advance(); // '{'
        in.skipWs();
        if (in.peek() == '}') {
            in.advance();
            return;
        }
        int previous = -1;
        while (true) {
            if (in.peek() != '"') {
                throw JsonCursor.SYNTAX;
            }
            int id = predictName(previous);
            if (id >= 0) {
                in.skip(NAMES[id].length() + 2);
            } else {
                id = ReadingFields.idOf(in);
                if (id >= 0) {
                    remember(previous, id);
                }
            }
            previous = id;
            in.skipWs();
            if (in.peek() != ':') {
                throw JsonCursor.SYNTAX;
            }
            in.advance();
            in.skipWs();
            if (id < 0) {
                in.skipValue(1);
            } else {
                parseField(id);
            }
            in.skipWs();
            byte c = in.peek();
            in.advance();
            if (c == ',') {
                in.skipWs();
                continue;
            }
            if (c == '}') {
                return;
            }
            throw JsonCursor.SYNTAX;
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
            if (ReadingFields.isNext(in, id)) {
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

    private void parseField(int id) {
        byte c = in.peek();
        if (c == 'n') {
            in.expectLiteral("null");
            clearField(id);
            return;
        }
        switch (id) {
            case F_DEVICE_ID:
                if (!stringField(id, c)) {
                    return;
                }
                String deviceId = in.takeString();
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
                if (!stringField(id, c)) {
                    return;
                }
                // metadata is only used from the first reading of a window: made a String on demand
                in.stringToMetadata(r, id - F_DEVICE_TYPE);
                return;
            case F_MOTION:
                if (c == 't') {
                    in.expectLiteral("true");
                    r.motionDetected = true;
                } else if (c == 'f') {
                    in.expectLiteral("false");
                    r.motionDetected = false;
                } else {
                    in.skipValue(1);
                    fail(WRONG_TYPE[id]);
                }
                return;
            default:
                break;
        }
        if (c != '-' && (c < '0' || c > '9')) {
            in.skipValue(1);
            fail(WRONG_TYPE[id]);
            return;
        }
        in.parseNumber();
        if (id >= F_COUNTER) {
            int counter = id - F_COUNTER;
            JsonNumber n = in.number();
            if (!n.isInteger() || !n.fitsLong() || (counter >= 2 && n.longValue() < 0)) {
                fail(WRONG_TYPE[id]);
                return;
            }
            r.counters[counter] = n.longValue();
            return;
        }
        double v = in.numberValue();
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
            in.parseString();
            long ts;
            try {
                String text = in.stringText();
                ts = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e) {
                fail(BAD_TIMESTAMP);
                return;
            }
            setTimestamp(ts);
            return;
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            in.parseNumber();
            if (!in.number().isInteger() || !in.number().fitsLong()) {
                fail(BAD_TIMESTAMP);
                return;
            }
            setTimestamp(in.number().longValue());
            return;
        }
        in.skipValue(1);
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

    /** Reads string field {@code id}, whose value starts with {@code c}; false, having failed, when it is no string. */
    private boolean stringField(int id, byte c) {
        if (c != '"') {
            in.skipValue(1);
            fail(WRONG_TYPE[id]);
            return false;
        }
        in.parseString();
        if (in.stringUnstorable()) {
            fail(INVALID_STRING[id]);
        }
        return true;
    }

    private void fail(String reason) {
        if (fieldError == null) {
            fieldError = reason;
        }
    }
}
