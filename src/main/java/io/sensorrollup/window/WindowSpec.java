package io.sensorrollup.window;

import java.util.Arrays;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The tumbling window sizes that run at once, e.g. {@code 1m,5m,1h} (CONTRACT §2). Sizes are whole seconds
 * ({@code s}, {@code m}, {@code h}, {@code d} units), distinct, kept in the given order. Windows are aligned
 * to the epoch: {@code start = floor(ts / size) * size}.
 */
public final class WindowSpec {

    private final long[] sizesMillis;
    private final int[] sources;

    private WindowSpec(long[] sizesMillis) {
        this.sizesMillis = sizesMillis;
        this.sources = new int[sizesMillis.length];
        for (int i = 0; i < sizesMillis.length; i++) {
            sources[i] = -1;
            for (int j = 0; j < sizesMillis.length; j++) {
                long s = sizesMillis[j];
                if (s < sizesMillis[i] && sizesMillis[i] % s == 0 && (sources[i] < 0 || s > sizesMillis[sources[i]])) {
                    sources[i] = j;
                }
            }
        }
    }

    /** Parses a comma-separated list like {@code 1m,5m,1h}; throws IllegalArgumentException naming a bad value. */
    public static WindowSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("window sizes: empty list");
        }
        String[] parts = text.split(",", -1);
        long[] sizes = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            sizes[i] = parseSize(parts[i].trim());
        }
        return ofMillis(sizes);
    }

    public static WindowSpec ofMillis(long... sizesMillis) {
        if (sizesMillis.length == 0) {
            throw new IllegalArgumentException("window sizes: empty list");
        }
        for (int i = 0; i < sizesMillis.length; i++) {
            long s = sizesMillis[i];
            if (s <= 0 || s % 1000 != 0) {
                throw new IllegalArgumentException("window size " + s + " ms: must be a positive whole number of seconds");
            }
            for (int j = 0; j < i; j++) {
                if (sizesMillis[j] == s) {
                    throw new IllegalArgumentException("window size '" + format(s) + "' is listed twice");
                }
            }
        }
        return new WindowSpec(sizesMillis.clone());
    }

    private static long parseSize(String value) {
        if (value.length() < 2) {
            throw bad(value);
        }
        char unit = Character.toLowerCase(value.charAt(value.length() - 1));
        long unitMillis = switch (unit) {
            case 's' -> 1_000L;
            case 'm' -> 60_000L;
            case 'h' -> 3_600_000L;
            case 'd' -> 86_400_000L;
            default -> throw bad(value);
        };
        String amount = value.substring(0, value.length() - 1);
        for (int i = 0; i < amount.length(); i++) {
            if (amount.charAt(i) < '0' || amount.charAt(i) > '9') {
                throw bad(value);
            }
        }
        try {
            long n = Long.parseLong(amount);
            if (n <= 0 || n > 365L * 86_400_000L / unitMillis) {
                throw bad(value);
            }
            return n * unitMillis;
        } catch (NumberFormatException e) {
            throw bad(value);
        }
    }

    private static IllegalArgumentException bad(String value) {
        return new IllegalArgumentException("window size '" + value
                + "': expected a positive whole number with unit s, m, h or d (at most 365d), e.g. 1m,5m,1h");
    }

    public int count() {
        return sizesMillis.length;
    }

    public long sizeMillis(int i) {
        return sizesMillis[i];
    }

    /**
     * The size whose closed windows fill the windows of size {@code i}: the largest listed size that divides it (each
     * of its windows then lies in exactly one window of size {@code i}), or -1 when none does and the readings fill it.
     * With {@code 1m,5m,1h}: 5m from 1m, 1h from 5m.
     */
    public int sourceOf(int i) {
        return sources[i];
    }

    /** The index of {@code sizeMillis} among the sizes, or -1 when it is not one of them. */
    public int indexOf(long sizeMillis) {
        for (int i = 0; i < sizesMillis.length; i++) {
            if (sizesMillis[i] == sizeMillis) {
                return i;
            }
        }
        return -1;
    }

    /** Start of the window of size {@code i} that holds {@code timestamp}. */
    public long startOf(long timestamp, int i) {
        long size = sizesMillis[i];
        return Math.floorDiv(timestamp, size) * size;
    }

    static String format(long millis) {
        if (millis % 86_400_000L == 0) {
            return millis / 86_400_000L + "d";
        }
        if (millis % 3_600_000L == 0) {
            return millis / 3_600_000L + "h";
        }
        if (millis % 60_000L == 0) {
            return millis / 60_000L + "m";
        }
        return millis / 1000 + "s";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WindowSpec w && Arrays.equals(sizesMillis, w.sizesMillis);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sizesMillis);
    }

    /** The canonical text, e.g. {@code 1m,5m,1h}; {@link #parse} reads it back. */
    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(",");
        for (long s : sizesMillis) {
            j.add(format(s).toLowerCase(Locale.ROOT));
        }
        return j.toString();
    }
}
