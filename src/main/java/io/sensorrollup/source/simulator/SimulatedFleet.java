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

    private final String[] keys;
    private final String[] prefix;
    private final int[] kind;
    private final StringBuilder line = new StringBuilder(512);
    private long badLines;

    public SimulatedFleet(Options options) {
        this.options = options;
        this.random = new SplittableRandom(options.seed());
        this.keys = new String[options.devices()];
        this.prefix = new String[options.devices()];
        this.kind = new int[options.devices()];
        for (int i = 0; i < options.devices(); i++) {
            kind[i] = i % KINDS.length;
            keys[i] = String.format(java.util.Locale.ROOT, "sensor_%05d", i);
            prefix[i] = String.format(java.util.Locale.ROOT,
                    "{\"device_id\":\"%s\",\"device_type\":\"%s\",\"customer_id\":\"customer_%02d\","
                            + "\"site_id\":\"site_%03d\",\"latitude\":%s,\"longitude\":%s,\"altitude\":%s",
                    keys[i], KINDS[kind[i]], i % 7, i % 23, round(uniform(-60, 60), 6), round(uniform(-180, 180), 6),
                    round(uniform(0, 500), 2));
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
        line.setLength(0);
        line.append(prefix[device]).append(",\"timestamp\":").append(ts);
        int k = kind[device];
        for (String metric : METRICS[k]) {
            double[] range = k == 2 && metric.equals("temperature") ? FREEZER : RANGES.get(metric);
            // rounded to 3 decimals like the generator; within these ranges Double.toString never uses an exponent
            line.append(",\"").append(metric).append("\":").append(Math.round(uniform(range[0], range[1]) * 1000) / 1000.0);
        }
        if (k == 3) {
            line.append(",\"motion_detected\":").append(random.nextDouble() < 0.2);
        }
        line.append(",\"error_count\":").append(ERROR_COUNTS[random.nextInt(ERROR_COUNTS.length)])
                .append(",\"status\":").append(random.nextInt(3))
                .append(",\"packets_sent\":").append(1 + random.nextInt(50))
                .append(",\"packets_received\":").append(1 + random.nextInt(50))
                .append(",\"bytes_sent\":").append(64 + random.nextInt(64_000 - 64 + 1))
                .append(",\"bytes_received\":").append(64 + random.nextInt(64_000 - 64 + 1))
                .append('}');
        return new Message(keys[device], line.toString().getBytes(StandardCharsets.UTF_8));
    }

    private double uniform(double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }

    private static String round(double v, int digits) {
        return java.math.BigDecimal.valueOf(v).setScale(digits, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros()
                .toPlainString();
    }
}
