package io.sensorrollup.source;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The last JSON number {@link JsonCursor} scanned. Integers that fit a long are exact; other numbers are
 * converted exactly when the significand has at most 15 digits and the decimal exponent is within ±22 (both exact
 * doubles, so one correctly rounded multiplication or division), else by {@link Double#parseDouble}.
 */
final class JsonNumber {

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final long[] POW10_LONG = {
        1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L
    };

    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22
    };

    private byte[] b;
    private int p;
    private int end;
    private boolean isInteger;
    private boolean fitsLong;
    private long longValue;
    private double doubleValue;
    private int start;
    private int stop;
    private long mantissa;
    private int digits;
    private boolean overflow;

    /** Scans the number at {@code buf[at]} (a '-' or a digit); returns where it ends. */
    int scan(byte[] buf, int at, int limit) {
        b = buf;
        p = at;
        end = limit;
        try {
            scan();
            return p;
        } finally {
            b = null;
        }
    }

    /** Whether it had neither fraction nor exponent. */
    boolean isInteger() {
        return isInteger;
    }

    /** Whether it is an integer within a signed 64-bit long: then {@link #longValue()} holds it. */
    boolean fitsLong() {
        return fitsLong;
    }

    long longValue() {
        return longValue;
    }

    /** Its value as a double; {@code text} is the buffer it was scanned from. */
    double doubleValue(byte[] text) {
        if (isInteger) {
            if (fitsLong && Math.abs(longValue) < (1L << 53)) {
                return (double) longValue;
            }
            return Double.parseDouble(new String(text, start, stop - start, StandardCharsets.ISO_8859_1));
        }
        return doubleValue;
    }

    private void scan() {
        start = p;
        boolean neg = false;
        if (b[p] == '-') {
            neg = true;
            p++;
        }
        if (p >= end) {
            throw JsonCursor.SYNTAX;
        }
        mantissa = 0;
        digits = 0;
        overflow = false;
        byte c = b[p];
        if (c == '0') {
            p++;
        } else if (c >= '1' && c <= '9') {
            digitRun();
        } else {
            throw JsonCursor.SYNTAX;
        }
        int intEnd = p;
        int fracDigits = 0;
        boolean integer = true;
        if (p < end && b[p] == '.') {
            integer = false;
            p++;
            int before = digits;
            if (digitRun() == 0) {
                throw JsonCursor.SYNTAX;
            }
            fracDigits = digits - before;
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
                throw JsonCursor.SYNTAX;
            }
            if (expNeg) {
                exp = -exp;
            }
        }
        stop = p;
        isInteger = integer;
        long mant = mantissa;
        if (integer) {
            if (!overflow) {
                fitsLong = true;
                longValue = neg ? -mant : mant;
            } else {
                // 19+ digits: may still fit a long
                try {
                    longValue = Long.parseLong(new String(b, start, intEnd - start, StandardCharsets.ISO_8859_1));
                    fitsLong = true;
                } catch (NumberFormatException e) {
                    fitsLong = false;
                }
            }
            return;
        }
        fitsLong = false;
        int e10 = exp - fracDigits;
        if (!overflow && digits <= 15 && e10 >= -22 && e10 <= 22) {
            double d = (double) mant;
            d = e10 >= 0 ? d * POW10[e10] : d / POW10[-e10];
            doubleValue = neg ? -d : d;
        } else {
            doubleValue = Double.parseDouble(new String(b, start, p - start, StandardCharsets.ISO_8859_1));
        }
    }

    /**
     * Consumes the digits at {@code p}, eight at a time where the buffer allows, appending them to
     * {@code mantissa} (up to 18 digits, after that {@code overflow}). Returns how many it consumed.
     */
    private int digitRun() {
        int s = p;
        while (end - p >= 8) {
            long w = (long) LONG_LE.get(b, p);
            int n = leadingDigits(w);
            if (n == 0) {
                return p - s;
            }
            if (digits + n <= 18) {
                mantissa = mantissa * POW10_LONG[n] + eightDigits(w << (64 - 8 * n));
                digits += n;
            } else {
                overflow = true;
            }
            p += n;
            if (n < 8) {
                return p - s;
            }
        }
        byte c;
        while (p < end && (c = b[p]) >= '0' && c <= '9') {
            if (digits < 18) {
                mantissa = mantissa * 10 + (c - '0');
                digits++;
            } else {
                overflow = true;
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
}
