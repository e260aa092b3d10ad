package io.sensorrollup.source.simulator;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * A fleet of devices producing readings in the contract's format, like {@code ../shared/bench/gen_readings.py}:
 * four device kinds with the metrics their hardware has (so some metrics are absent), freezer probes below
 * zero, metadata per device, counters; optionally timestamps jittered into the past (out of order), a share
 * of readings too late, and a share of malformed lines. Deterministic for a seed and a sequence of clock
 * values; not thread-safe.
 */
public final class SimulatedFleet {

    static final String[] KINDS = {"env-sensor", "co2-monitor", "freezer-probe", "motion-sensor"};
    static final String[][] METRICS = {
        {"temperature", "humidity", "pressure", "co2", "noise", "light", "battery", "signal"},
        {"temperature", "humidity", "co2", "battery", "signal"},
        {"temperature", "battery", "signal"},
        {"light", "battery", "signal"},
    };
    private static final java.util.Map<String, double[]> RANGES = java.util.Map.of(
            "temperature", new double[] {15.0, 30.0}, "humidity", new double[] {20.0, 80.0},
            "pressure", new double[] {980.0, 1040.0}, "co2", new double[] {400.0, 2000.0},
            "noise", new double[] {30.0, 90.0}, "light", new double[] {0.0, 1000.0},
            "battery", new double[] {0.0, 100.0}, "signal", new double[] {-110.0, -40.0});
    /**
     * The malformed kinds of gen_readings.py's BAD_LINES, then the hostile ones of CONTRACT §1: a year-9999 and a
     * pre-1970 timestamp, U+0000 and a lone surrogate in device_id (JSON escapes); and, made in {@link #next},
     * a reading stamped {@link #FUTURE_MILLIS} ahead of the clock ({@code future} once published).
     */
    static final String[] BAD_LINES = {
        "{not json",
        "{\"device_type\":\"env-sensor\",\"timestamp\":1767225600000}",
        "{\"device_id\":\"\",\"timestamp\":1767225600000}",
        "{\"device_id\":\"x-1\"}",
        "{\"device_id\":\"x-2\",\"timestamp\":\"yesterday\"}",
        "{\"device_id\":\"x-3\",\"timestamp\":1767225600000,\"temperature\":\"hot\"}",
        "{\"device_id\":\"x-4\",\"timestamp\":1767225600000,\"temperature\":1e400}",
        "[1,2,3]",
        "",
        "{\"device_id\":\"x-5\",\"timestamp\":253402300799999,\"temperature\":20.5}",
        "{\"device_id\":\"x-6\",\"timestamp\":\"1969-07-20T20:17:40Z\",\"temperature\":20.5}",
        "{\"device_id\":\"nul\\u0000x\",\"timestamp\":1767225600000,\"temperature\":20.5}",
        "{\"device_id\":\"\\ud800a\",\"timestamp\":1767225600000,\"temperature\":20.5}",
    };
    static final long FUTURE_MILLIS = 2 * 3_600_000L;

    /** One simulated message: the key to publish it with (null for a malformed line without one) and its bytes. */
    public record Message(String key, byte[] payload) {
    }

    /**
     * @param jitterMillis  each timestamp lies up to this far in the past (arrival order differs from event order)
     * @param lateRatio     share of readings stamped {@code lateMillis} in the past
     * @param malformedRatio share of malformed lines
     */
    public record Options(int devices, long seed, long jitterMillis, double lateRatio, long lateMillis, double malformedRatio) {

        public Options {
            if (devices < 1) {
                throw new IllegalArgumentException("devices must be at least 1: " + devices);
            }
            if (jitterMillis < 0 || lateMillis < 0 || lateRatio < 0 || lateRatio > 1 || malformedRatio < 0 || malformedRatio > 1) {
                throw new IllegalArgumentException("jitter and late must be >= 0, ratios within [0, 1]");
            }
        }

        public static Options of(int devices) {
            return new Options(devices, 42, 0, 0, 600_000, 0);
        }
    }

    private final Options options;
    private final SplittableRandom random;
    private static final int[] ERROR_COUNTS = {0, 0, 0, 0, 1, 2};
    private static final double[] FREEZER = {-30.0, -10.0};

    private final int[] kind;
    /** Each device's fixed position, in millionths of a degree and hundredths of a metre. */
    private final long[] latitude;
    private final long[] longitude;
    private final long[] altitude;
    private final AsciiLine line = new AsciiLine();
    private long badLines;

    /** Keeps about 30 bytes per device: a pod's benchmark at a million devices should weigh the pod, not its load. */
    public SimulatedFleet(Options options) {
        this.options = options;
        this.random = new SplittableRandom(options.seed());
        int n = options.devices();
        this.kind = new int[n];
        this.latitude = new long[n];
        this.longitude = new long[n];
        this.altitude = new long[n];
        for (int i = 0; i < n; i++) {
            kind[i] = i % KINDS.length;
            latitude[i] = Math.round(uniform(-60, 60) * 1e6);
            longitude[i] = Math.round(uniform(-180, 180) * 1e6);
            altitude[i] = Math.round(uniform(0, 500) * 1e2);
        }
    }

    public int devices() {
        return options.devices();
    }

    /** The next reading of a random device, stamped at {@code nowMillis} (less jitter, or late). */
    public Message next(long nowMillis) {
        if (options.malformedRatio() > 0 && random.nextDouble() < options.malformedRatio()) {
            int kind = (int) (badLines++ % (BAD_LINES.length + 1));
            String bad = kind < BAD_LINES.length ? BAD_LINES[kind]
                    : "{\"device_id\":\"x-7\",\"timestamp\":" + (nowMillis + FUTURE_MILLIS) + ",\"temperature\":20.5}";
            return new Message(null, bad.getBytes(StandardCharsets.UTF_8));
        }
        int device = random.nextInt(options.devices());
        long ts = nowMillis;
        if (options.jitterMillis() > 0) {
            ts -= random.nextLong(options.jitterMillis() + 1);
        }
        if (options.lateRatio() > 0 && random.nextDouble() < options.lateRatio()) {
            ts -= options.lateMillis();
        }
        int k = kind[device];
        line.reset();
        line.append("{\"device_id\":\"");
        int keyFrom = line.length();
        line.append("sensor_").appendPadded(device, 5);
        String key = line.text(keyFrom);
        line.append("\",\"device_type\":\"").append(KINDS[k])
                .append("\",\"customer_id\":\"customer_").appendPadded(device % 7, 2)
                .append("\",\"site_id\":\"site_").appendPadded(device % 23, 3)
                .append("\",\"latitude\":").appendDecimal(latitude[device], 6)
                .append(",\"longitude\":").appendDecimal(longitude[device], 6)
                .append(",\"altitude\":").appendDecimal(altitude[device], 2)
                .append(",\"timestamp\":").append(ts);
        for (String metric : METRICS[k]) {
            double[] range = k == 2 && metric.equals("temperature") ? FREEZER : RANGES.get(metric);
            // rounded to 3 decimals like the generator
            line.append(",\"").append(metric).append("\":").appendDecimal(Math.round(uniform(range[0], range[1]) * 1000), 3);
        }
        if (k == 3) {
            line.append(",\"motion_detected\":").append(random.nextDouble() < 0.2 ? "true" : "false");
        }
        line.append(",\"error_count\":").append(ERROR_COUNTS[random.nextInt(ERROR_COUNTS.length)])
                .append(",\"status\":").append(random.nextInt(3))
                .append(",\"packets_sent\":").append(1 + random.nextInt(50))
                .append(",\"packets_received\":").append(1 + random.nextInt(50))
                .append(",\"bytes_sent\":").append(64 + random.nextInt(64_000 - 64 + 1))
                .append(",\"bytes_received\":").append(64 + random.nextInt(64_000 - 64 + 1))
                .append("}");
        return new Message(key, line.toBytes());
    }

    private double uniform(double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }

    /** A reused line of ASCII bytes: numbers written digit by digit, without Double.toString or a StringBuilder. */
    private static final class AsciiLine {
        private byte[] bytes = new byte[512];
        private int length;

        void reset() {
            length = 0;
        }

        int length() {
            return length;
        }

        AsciiLine append(String ascii) {
            ensure(ascii.length());
            for (int i = 0; i < ascii.length(); i++) {
                bytes[length++] = (byte) ascii.charAt(i);
            }
            return this;
        }

        AsciiLine append(long v) {
            if (v < 0) {
                ensure(1);
                bytes[length++] = '-';
                v = -v;
            }
            return appendPadded(v, 1);
        }

        /** {@code v >= 0} with at least {@code width} digits, zeros in front. */
        AsciiLine appendPadded(long v, int width) {
            int digits = 1;
            for (long rest = v / 10; rest > 0; rest /= 10) {
                digits++;
            }
            digits = Math.max(digits, width);
            ensure(digits);
            for (int i = length + digits - 1; i >= length; i--) {
                bytes[i] = (byte) ('0' + v % 10);
                v /= 10;
            }
            length += digits;
            return this;
        }

        /** {@code scaled / 10^decimals} in plain notation, without trailing zeros (12.5, 12, -0.25). */
        AsciiLine appendDecimal(long scaled, int decimals) {
            long unit = 1;
            for (int i = 0; i < decimals; i++) {
                unit *= 10;
            }
            long abs = Math.abs(scaled);
            long fraction = abs % unit;
            if (scaled < 0) {
                ensure(1);
                bytes[length++] = '-';
            }
            appendPadded(abs / unit, 1);
            if (fraction != 0) {
                int width = decimals;
                while (fraction % 10 == 0) {
                    fraction /= 10;
                    width--;
                }
                ensure(1);
                bytes[length++] = '.';
                appendPadded(fraction, width);
            }
            return this;
        }

        String text(int from) {
            return new String(bytes, from, length - from, StandardCharsets.US_ASCII);
        }

        byte[] toBytes() {
            return java.util.Arrays.copyOf(bytes, length);
        }

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }
}
