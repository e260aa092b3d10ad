package io.sensorrollup.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReadingDecoderTest {

    private final ReadingDecoder decoder = new ReadingDecoder();
    private final Reading reading = new Reading();

    private String decode(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return decoder.decode(bytes, 0, bytes.length, reading);
    }

    private static final String OK = "{\"device_id\":\"d-1\",\"timestamp\":1767225600000";

    /** Copied from BAD_LINES in /work/shared/bench/gen_readings.py, with the reason each must give. */
    @Test
    void badLinesOfTheCorpusGenerator() {
        String[][] badLines = {
            {"{not json", "not-json"},
            {"{\"device_type\":\"env-sensor\",\"timestamp\":1767225600000}", "missing-device-id"},
            {"{\"device_id\":\"\",\"timestamp\":1767225600000}", "empty-device-id"},
            {"{\"device_id\":\"x-1\"}", "missing-timestamp"},
            {"{\"device_id\":\"x-2\",\"timestamp\":\"yesterday\"}", "bad-timestamp"},
            {"{\"device_id\":\"x-3\",\"timestamp\":1767225600000,\"temperature\":\"hot\"}", "wrong-type:temperature"},
            {"{\"device_id\":\"x-4\",\"timestamp\":1767225600000,\"temperature\":1e400}", "not-finite:temperature"},
            {"[1,2,3]", "not-an-object"},
            {"", "not-json"},
        };
        for (String[] line : badLines) {
            assertEquals(line[1], decode(line[0]), line[0]);
        }
    }

    @Test
    void fullReadingOfTheGenerator() {
        String line = "{\"device_id\":\"sensor_00003\",\"device_type\":\"freezer-probe\",\"customer_id\":\"customer_03\","
                + "\"site_id\":\"site_003\",\"latitude\":-12.345678,\"longitude\":170.5,\"altitude\":0.25,"
                + "\"timestamp\":1767225600123,\"temperature\":-21.5,\"battery\":99.9,\"signal\":-77.125,"
                + "\"motion_detected\":true,\"error_count\":2,\"status\":-1,\"packets_sent\":5,\"packets_received\":6,"
                + "\"bytes_sent\":64000,\"bytes_received\":0}";
        assertNull(decode(line));
        assertEquals("sensor_00003", reading.deviceId());
        assertEquals(1767225600123L, reading.timestamp());
        assertEquals("freezer-probe", reading.deviceType());
        assertEquals("customer_03", reading.customerId());
        assertEquals("site_003", reading.siteId());
        assertEquals(-12.345678, reading.position(Reading.LATITUDE));
        assertEquals(170.5, reading.position(Reading.LONGITUDE));
        assertEquals(0.25, reading.position(Reading.ALTITUDE));
        assertEquals(-21.5, reading.metric(0));
        assertEquals(99.9, reading.metric(6));
        assertEquals(-77.125, reading.metric(7));
        assertEquals((1 << 0) | (1 << 6) | (1 << 7), reading.metricsPresent());
        assertTrue(reading.motionDetected());
        assertEquals(2, reading.counter(0));
        assertEquals(-1, reading.counter(1));
        assertEquals(5, reading.counter(2));
        assertEquals(6, reading.counter(3));
        assertEquals(64000, reading.counter(4));
        assertEquals(0, reading.counter(5));
    }

    @Test
    void reusedReadingForgetsThePreviousMessage() {
        assertNull(decode(OK + ",\"temperature\":1.5,\"device_type\":\"x\",\"status\":3,\"motion_detected\":true}"));
        assertNull(decode(OK + "}"));
        assertEquals(0, reading.metricsPresent());
        assertNull(reading.deviceType());
        assertEquals(0, reading.counter(1));
        assertFalse(reading.motionDetected());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2026-01-01T00:00:00Z|1767225600000",
        "2026-01-01T01:00:00.123+01:00|1767225600123",
        "2025-12-31T19:00:00-05:00|1767225600000",
        "2026-01-01T00:00:00.123456789Z|1767225600123",
        "1970-01-01T00:00:00Z|0",
    })
    void isoTimestampsWithOffset(String iso, long millis) {
        assertNull(decode("{\"device_id\":\"d\",\"timestamp\":\"" + iso + "\"}"));
        assertEquals(millis, reading.timestamp());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"2026-01-01T00:00:00\"", // no offset
        "\"2026-01-01\"",
        "\"1767225600000\"",
        "1767225600000.0",
        "1.7672256E12",
        "true",
        "{}",
        "[]",
        "99999999999999999999",
        "253402300800000", // year 10000
    })
    void badTimestamps(String value) {
        assertEquals("bad-timestamp", decode("{\"device_id\":\"d\",\"timestamp\":" + value + "}"), value);
    }

    /** ClickHouse's DateTime wraps below 1970: such a time must never reach a sink (CONTRACT §1). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-1",
        "-5",
        "-62167219200000", // 0000-01-01T00:00:00Z
        "-62167219200001", // before year 0000: still a time before the epoch
        "\"1969-12-31T23:59:59.999Z\"",
        "\"1969-07-20T20:17:40Z\"",
        "\"1970-01-01T01:00:00+02:00\"", // 23:00 the day before, UTC
    })
    void timestampsBeforeTheEpochAreInvalid(String value) {
        assertEquals("before-epoch", decode("{\"device_id\":\"d\",\"timestamp\":" + value + "}"), value);
    }

    @Test
    void nullsAreAbsent() {
        String json = "{\"device_id\":\"d\",\"timestamp\":5,\"temperature\":null,\"device_type\":null,\"latitude\":null,"
                + "\"motion_detected\":null,\"status\":null,\"bytes_sent\":null,\"customer_id\":null,\"site_id\":null}";
        assertNull(decode(json));
        assertEquals(0, reading.metricsPresent());
        assertFalse(reading.hasPosition(Reading.LATITUDE));
        assertNull(reading.deviceType());
        assertEquals(0, reading.counter(4));
        assertEquals("missing-device-id", decode("{\"device_id\":null,\"timestamp\":5}"));
        assertEquals("missing-timestamp", decode("{\"device_id\":\"d\",\"timestamp\":null}"));
        // the last occurrence of a field wins, also when it is null
        assertNull(decode("{\"device_id\":\"d\",\"timestamp\":5,\"co2\":400,\"co2\":null}"));
        assertFalse(reading.hasMetric(3));
    }

    @Test
    void unknownFieldsAreSkippedWithTheirChildren() {
        String json = "{\"device_id\":\"d\",\"extra\":{\"temperature\":\"hot\",\"a\":[1,{\"b\":[true,false,null]},\"x\\\"y\"]},"
                + "\"timestamp\":7,\"list\":[],\"obj\":{},\"n\":-1.5e-3,\"s\":\"\\u00e9\\n\",\"temperature\":-3.25}";
        assertNull(decode(json));
        assertEquals(7, reading.timestamp());
        assertEquals(-3.25, reading.metric(0));
        assertEquals(1, reading.metricsPresent());
    }

    @Test
    void deviceIdLength() {
        String id128 = "a".repeat(128);
        assertNull(decode("{\"device_id\":\"" + id128 + "\",\"timestamp\":1}"));
        assertEquals(id128, reading.deviceId());
        assertEquals("device-id-too-long", decode("{\"device_id\":\"" + "a".repeat(129) + "\",\"timestamp\":1}"));
        // 128 non-ASCII code points (256 UTF-8 bytes) are fine
        String wide = "é".repeat(128);
        assertNull(decode("{\"device_id\":\"" + wide + "\",\"timestamp\":1}"));
        assertEquals(wide, reading.deviceId());
        assertEquals("empty-device-id", decode("{\"device_id\":\"\",\"timestamp\":1}"));
    }

    @Test
    void escapedAndNonAsciiStrings() {
        assertNull(decode("{\"device_id\":\"a\\\"b\\\\c\\u0041\\/\",\"site_id\":\"Zürich\",\"timestamp\":1}"));
        assertEquals("a\"b\\cA/", reading.deviceId());
        assertEquals("Zürich", reading.siteId());
        // escaped field names still match
        assertNull(decode("{\"device_\\u0069d\":\"x\",\"timestamp\":1}"));
        assertEquals("x", reading.deviceId());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "device_id|42|wrong-type:device_id",
        "device_type|1|wrong-type:device_type",
        "customer_id|true|wrong-type:customer_id",
        "site_id|[\"a\"]|wrong-type:site_id",
        "latitude|\"1.5\"|wrong-type:latitude",
        "longitude|{}|wrong-type:longitude",
        "altitude|false|wrong-type:altitude",
        "temperature|\"hot\"|wrong-type:temperature",
        "humidity|[]|wrong-type:humidity",
        "pressure|true|wrong-type:pressure",
        "co2|\"400\"|wrong-type:co2",
        "noise|{\"a\":1}|wrong-type:noise",
        "light|\"\"|wrong-type:light",
        "battery|[1]|wrong-type:battery",
        "signal|\"-70\"|wrong-type:signal",
        "motion_detected|1|wrong-type:motion_detected",
        "motion_detected|\"true\"|wrong-type:motion_detected",
        "error_count|1.5|wrong-type:error_count",
        "error_count|\"1\"|wrong-type:error_count",
        "status|1e2|wrong-type:status",
        "status|1.0|wrong-type:status",
        "status|99999999999999999999|wrong-type:status",
        "packets_sent|-1|wrong-type:packets_sent",
        "packets_received|-2|wrong-type:packets_received",
        "bytes_sent|-3|wrong-type:bytes_sent",
        "bytes_received|-4|wrong-type:bytes_received",
        "bytes_received|true|wrong-type:bytes_received",
        "temperature|1e400|not-finite:temperature",
        "signal|-1e400|not-finite:signal",
        "latitude|1E999|not-finite:latitude",
        "co2|" + "9999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999"
            + "9999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999"
            + "9999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999"
            + "99999999999999999999999999999999999999|not-finite:co2",
    })
    void wrongTypesAndNonFiniteNumbers(String field, String value, String reason) {
        assertEquals(reason, decode(OK + ",\"" + field + "\":" + value + "}"));
    }

    @Test
    void firstFieldErrorInDocumentOrderWins() {
        assertEquals("wrong-type:co2", decode("{\"co2\":\"x\",\"device_id\":\"\",\"timestamp\":\"bad\"}"));
        assertEquals("empty-device-id", decode("{\"device_id\":\"\",\"timestamp\":\"bad\"}"));
        assertEquals("bad-timestamp", decode("{\"timestamp\":\"bad\"}"));
        // syntax errors dominate field errors
        assertEquals("not-json", decode("{\"co2\":\"x\",\"device_id\":\"d\",\"timestamp\":1,}"));
    }

    @Test
    void zeroAndCountersAtTheirLimits() {
        assertNull(decode(OK + ",\"bytes_sent\":9223372036854775807,\"status\":-9223372036854775808,"
                + "\"temperature\":-0.0,\"humidity\":0}"));
        assertEquals(Long.MAX_VALUE, reading.counter(4));
        assertEquals(Long.MIN_VALUE, reading.counter(1));
        assertEquals(-0.0, reading.metric(0));
        assertEquals(0.0, reading.metric(1));
        assertEquals("wrong-type:bytes_sent", decode(OK + ",\"bytes_sent\":9223372036854775808}"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "42|not-an-object",
        "\"text\"|not-an-object",
        "null|not-an-object",
        "true|not-an-object",
        "[1,2|not-json",
        "{}|missing-device-id",
        "{\"device_id\":\"d\",\"timestamp\":1} x|not-json",
        "{\"device_id\":\"d\",\"timestamp\":1}{}|not-json",
        "{\"device_id\":\"d\",\"timestamp\":1}}|not-json",
        "{\"device_id\":\"d\" \"timestamp\":1}|not-json",
        "{\"device_id\":\"d\",\"timestamp\":01}|not-json",
        "{\"device_id\":\"d\",\"timestamp\":1,\"co2\":.5}|not-json",
        "{\"device_id\":\"d\",\"timestamp\":1,\"co2\":1.}|not-json",
        "{\"device_id\":\"d\",\"timestamp\":1,\"co2\":1e}|not-json",
        "{\"device_id\":\"d\",\"timestamp\":1,\"co2\":+1}|not-json",
        "{\"device_id\":\"d\",\"timestamp\":1,\"co2\":NaN}|not-json",
        "{\"device_id\":\"d\",\"timestamp\":1,\"x\":tru}|not-json",
        "{\"device_id\":\"d\",\"timestamp\":1,\"x\":\"\\q\"}|not-json",
        "{\"device_id\":\"d\",\"timestamp\":1,'x':1}|not-json",
        "{\"device_id\":\"d\",\"timestamp\":1|not-json",
        "{\"device_id\":\"d\",\"timestamp\":1,\"x\":[1,]}|not-json",
    })
    void syntax(String json, String reason) {
        assertEquals(reason, decode(json), json);
    }

    @Test
    void trailingWhitespaceAndOffsetWindow() {
        assertEquals("not-json", decode("  \n "));
        assertNull(decode(" \t{\"device_id\":\"d\",\"timestamp\":1}\r\n"));
        byte[] framed = "xx{\"device_id\":\"d\",\"timestamp\":3}yy".getBytes(StandardCharsets.UTF_8);
        assertNull(decoder.decode(framed, 2, framed.length - 4, reading));
        assertEquals(3, reading.timestamp());
    }

    @Test
    void deepNestingIsBoundedNotAStackOverflow() {
        String ok = "[".repeat(999) + "]".repeat(999);
        assertNull(decode(OK + ",\"deep\":" + ok + "}"));
        String tooDeep = "[".repeat(5_000) + "]".repeat(5_000);
        assertEquals("not-json", decode(OK + ",\"deep\":" + tooDeep + "}"));
        assertEquals("not-json", decode("[".repeat(100_000)));
    }

    @Test
    void controlCharactersAndInvalidUtf8AreNotJson() {
        assertEquals("not-json", decode("{\"device_id\":\"a\u0001b\",\"timestamp\":1}"));
        byte[] bad = "{\"device_id\":\"a?b\",\"timestamp\":1}".getBytes(StandardCharsets.US_ASCII);
        bad[15] = (byte) 0xC3; // lead byte followed by 'b': truncated sequence
        assertEquals("not-json", decoder.decode(bad, 0, bad.length, reading));
    }

    @Test
    void repeatedStringsAreShared() {
        assertNull(decode(OK + ",\"device_type\":\"env-sensor\"}"));
        String first = reading.deviceType();
        assertNull(decode(OK + ",\"device_type\":\"env-sensor\"}"));
        assertSame(first, reading.deviceType());
    }

    @Test
    void fieldsInAnyOrderAndAfterUnknownOnes() {
        java.util.List<String> fields = new java.util.ArrayList<>(java.util.List.of(
                "\"device_id\":\"dev-42\"", "\"timestamp\":1767225600123", "\"device_type\":\"env-sensor\"",
                "\"customer_id\":\"c1\"", "\"site_id\":\"s1\"", "\"latitude\":1.5", "\"longitude\":-2.5",
                "\"altitude\":3", "\"temperature\":-4.25", "\"humidity\":5", "\"pressure\":6", "\"co2\":7",
                "\"noise\":8", "\"light\":9", "\"battery\":10", "\"signal\":-11", "\"motion_detected\":true",
                "\"error_count\":1", "\"status\":2", "\"packets_sent\":3", "\"packets_received\":4",
                "\"bytes_sent\":5", "\"bytes_received\":6", "\"x\":1", "\"device_idx\":\"no\"", "\"co\":2"));
        Random rnd = new Random(3);
        for (int i = 0; i < 2_000; i++) {
            java.util.Collections.shuffle(fields, rnd);
            assertNull(decode("{" + String.join(",", fields) + "}"));
            assertEquals("dev-42", reading.deviceId());
            assertEquals(1767225600123L, reading.timestamp());
            assertEquals("env-sensor", reading.deviceType());
            assertEquals("s1", reading.siteId());
            assertEquals(3.0, reading.position(Reading.ALTITUDE));
            assertEquals(255, reading.metricsPresent());
            assertEquals(-11.0, reading.metric(7));
            assertTrue(reading.motionDetected());
            assertEquals(6, reading.counter(5));
        }
    }

    @Test
    void specialCharactersAtEveryOffsetOfAString() {
        for (int len = 0; len < 24; len++) {
            for (int at = 0; at < len; at++) {
                String[][] specials = {{"\\\"", "\""}, {"\\\\", "\\"}, {"\\n", "\n"}, {"\\u0041", "A"},
                    {"é", "é"}, {"\u20ac", "\u20ac"}};
                for (String[] special : specials) {
                    String plain = "abcdefghijklmnopqrstuvwxyz".substring(0, len);
                    String raw = plain.substring(0, at) + special[0] + plain.substring(at);
                    String expected = plain.substring(0, at) + special[1] + plain.substring(at);
                    assertNull(decode("{\"device_id\":\"" + raw + "\",\"timestamp\":1}"), raw);
                    assertEquals(expected, reading.deviceId(), raw);
                    assertEquals("not-json", decode("{\"device_id\":\"" + plain.substring(0, at) + "\u0007"
                            + plain.substring(at) + "\",\"timestamp\":1}"), raw);
                }
            }
            String plain = "abcdefghijklmnopqrstuvwxyz".substring(0, len);
            assertEquals("not-json", decode("{\"device_id\":\"" + plain), "unterminated " + len);
        }
    }

    /** The number fast path must give the same double as Double.parseDouble, digit for digit. */
    @Test
    void numbersMatchDoubleParseDouble() {
        Random rnd = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            String text = switch (i % 5) {
                case 0 -> Double.toString((rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(40) - 20));
                case 1 -> String.format("%.3f", (rnd.nextDouble() - 0.5) * 4000);
                case 2 -> String.format("%.6f", (rnd.nextDouble() - 0.5) * 360);
                case 3 -> Long.toString(rnd.nextLong() >> rnd.nextInt(64));
                default -> (rnd.nextBoolean() ? "-" : "") + rnd.nextInt(100000) + "." + rnd.nextInt(1000000)
                        + "e" + (rnd.nextInt(60) - 30);
            };
            String reason = decode(OK + ",\"pressure\":" + text + "}");
            double expected = Double.parseDouble(text);
            if (Double.isInfinite(expected)) {
                assertEquals("not-finite:pressure", reason, text);
            } else {
                assertNull(reason, text);
                assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(reading.metric(2)), text);
            }
        }
    }

    /** Random corruptions of a valid line: whenever Jackson rejects the syntax, so must we, and the reverse. */
    @Test
    void syntaxAgreesWithJacksonOnCorruptedInput() throws Exception {
        String base = "{\"device_id\":\"sensor_1\",\"timestamp\":1767225600000,\"x\":[1,-2.5e3,{\"y\":null}],"
                + "\"temperature\":-1.25,\"motion_detected\":false,\"site_id\":\"s\\n\"}";
        byte[] alphabet = "{}[]\":,.-+eE0123456789 tfnulrsa\\/".getBytes(StandardCharsets.US_ASCII);
        JsonFactory factory = new JsonFactory();
        Random rnd = new Random(11);
        for (int i = 0; i < 50_000; i++) {
            byte[] bytes = base.getBytes(StandardCharsets.US_ASCII);
            int edits = 1 + rnd.nextInt(3);
            for (int e = 0; e < edits && bytes.length > 0; e++) {
                int at = rnd.nextInt(bytes.length);
                switch (rnd.nextInt(3)) {
                    case 0 -> bytes[at] = alphabet[rnd.nextInt(alphabet.length)];
                    case 1 -> bytes = cut(bytes, at);
                    default -> bytes = java.util.Arrays.copyOf(bytes, at);
                }
            }
            byte[] input = bytes;
            boolean jacksonValid = jacksonValid(factory, input);
            String reason = decoder.decode(input, 0, input.length, reading);
            assertEquals(jacksonValid, !"not-json".equals(reason),
                    () -> new String(input, StandardCharsets.US_ASCII) + " -> " + reason);
        }
    }

    /** U+0000 and lone surrogates (CONTRACT §1): PostgreSQL refuses the first, UTF-8 cannot encode the second. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "device_id|nul\\u0000x",
        "device_id|\\u0000",
        "device_id|\\ud800a",
        "device_id|a\\ud800",
        "device_id|\\udc00a",
        "device_id|\\ude00\\ud83d", // a pair in the wrong order
        "device_id|\\ud83d\\ud83d\\ude00", // a high surrogate followed by a pair
        "device_id|\\ud83d\\u0041",
        "device_type|env\\u0000",
        "customer_id|\\udfff",
        "site_id|s\\ud800\\u0000",
    })
    void nulAndLoneSurrogatesAreInvalidStrings(String field, String escapedValue) {
        String json = "{\"device_id\":\"d\",\"timestamp\":1767225600000,\"" + field + "\":\"" + escapedValue + "\"}";
        assertEquals("invalid-string:" + field, decode(json), json);
    }

    @Test
    void theFirstInvalidStringInDocumentOrderIsTheReason() {
        assertEquals("invalid-string:site_id", decode("{\"site_id\":\"\\u0000\",\"device_id\":\"\\ud800\",\"timestamp\":1}"));
        assertEquals("invalid-string:device_id", decode("{\"device_id\":\"\\ud800\",\"timestamp\":\"x\"}"));
        // an unknown field may hold anything JSON allows: it is skipped
        assertNull(decode("{\"device_id\":\"d\",\"note\":\"\\u0000\\ud800\",\"timestamp\":1}"));
    }

    @Test
    void surrogatePairsAndOtherEscapesStayValid() {
        assertNull(decode("{\"device_id\":\"\\ud83d\\ude00\",\"site_id\":\"\\uD834\\uDD1E\",\"timestamp\":1}"));
        assertEquals("\uD83D\uDE00", reading.deviceId());
        assertEquals("\uD834\uDD1E", reading.siteId());
        assertNull(decode("{\"device_id\":\"sensor-\uD83D\uDE00\",\"customer_id\":\"\\u0001\\uffff\\u00e9\",\"timestamp\":1}"));
        assertEquals("sensor-\uD83D\uDE00", reading.deviceId()); // raw 4-byte UTF-8
        assertEquals("\u0001\uffff\u00e9", reading.customerId());
        // "?a" is an ordinary id, not the lone surrogate's replacement
        assertNull(decode("{\"device_id\":\"?a\",\"timestamp\":1}"));
        assertEquals("?a", reading.deviceId());
    }

    @Test
    void rawNulAndRawSurrogateBytesAreNotJson() {
        // RFC 8259: a control character inside a string must be escaped; ED A0 80 (U+D800) is not UTF-8
        byte[] nul = "{\"device_id\":\"nul_x\",\"timestamp\":1}".getBytes(StandardCharsets.US_ASCII);
        nul[17] = 0;
        assertEquals("not-json", decoder.decode(nul, 0, nul.length, reading));
        byte[] surrogate = "{\"device_id\":\"...a\",\"timestamp\":1}".getBytes(StandardCharsets.US_ASCII);
        surrogate[14] = (byte) 0xED;
        surrogate[15] = (byte) 0xA0;
        surrogate[16] = (byte) 0x80;
        assertEquals("not-json", decoder.decode(surrogate, 0, surrogate.length, reading));
        byte[] site = "{\"device_id\":\"d\",\"site_id\":\"...\",\"timestamp\":1}".getBytes(StandardCharsets.US_ASCII);
        site[28] = (byte) 0xED;
        site[29] = (byte) 0xBF;
        site[30] = (byte) 0xBF; // U+DFFF
        assertEquals("not-json", decoder.decode(site, 0, site.length, reading));
    }

    private static byte[] cut(byte[] bytes, int at) {
        byte[] out = new byte[bytes.length - 1];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(bytes, at + 1, out, at, bytes.length - at - 1);
        return out;
    }

    private static boolean jacksonValid(JsonFactory factory, byte[] bytes) {
        try (JsonParser parser = factory.createParser(bytes)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (Exception e) {
            return false;
        }
    }
}
