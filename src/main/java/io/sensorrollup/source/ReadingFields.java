package io.sensorrollup.source;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fields of a reading (CONTRACT §1) by id: their names, the reasons that name them, and how a name is found,
 * by its hash or, when {@link ReadingDecoder} predicts it, by comparing words.
 */
final class ReadingFields {

    // field ids; the ids of one kind are consecutive
    static final int F_DEVICE_ID = 0, F_TIMESTAMP = 1, F_DEVICE_TYPE = 2, F_CUSTOMER_ID = 3, F_SITE_ID = 4,
            F_POSITION = 5, F_METRIC = 8, F_MOTION = 16, F_COUNTER = 17; // F_POSITION+i, F_METRIC+m, F_COUNTER+c
    static final String[] NAMES = new String[F_COUNTER + Reading.COUNTER_COUNT];
    static final String[] WRONG_TYPE = new String[NAMES.length];
    static final String[] NOT_FINITE = new String[NAMES.length];
    static final String[] INVALID_STRING = new String[NAMES.length];
    private static final int TABLE_SIZE = 64;
    private static final byte[][] TABLE_NAMES = new byte[TABLE_SIZE][];
    private static final int[] TABLE_IDS = new int[TABLE_SIZE];

    static {
        NAMES[F_DEVICE_ID] = "device_id";
        NAMES[F_TIMESTAMP] = "timestamp";
        NAMES[F_DEVICE_TYPE] = "device_type";
        NAMES[F_CUSTOMER_ID] = "customer_id";
        NAMES[F_SITE_ID] = "site_id";
        NAMES[F_POSITION + Reading.LATITUDE] = "latitude";
        NAMES[F_POSITION + Reading.LONGITUDE] = "longitude";
        NAMES[F_POSITION + Reading.ALTITUDE] = "altitude";
        for (int m = 0; m < Reading.METRIC_COUNT; m++) {
            NAMES[F_METRIC + m] = Reading.METRICS[m];
        }
        NAMES[F_MOTION] = "motion_detected";
        for (int c = 0; c < Reading.COUNTER_COUNT; c++) {
            NAMES[F_COUNTER + c] = Reading.COUNTERS[c];
        }
        for (int id = 0; id < NAMES.length; id++) {
            WRONG_TYPE[id] = "wrong-type:" + NAMES[id];
            NOT_FINITE[id] = "not-finite:" + NAMES[id];
            INVALID_STRING[id] = "invalid-string:" + NAMES[id];
            byte[] name = NAMES[id].getBytes(StandardCharsets.US_ASCII);
            int slot = JsonString.hashBytes(name, 0, name.length) & (TABLE_SIZE - 1);
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
    private static final long[][] NAME_WORDS = new long[NAMES.length][];
    private static final int[][] NAME_WORD_OFFSETS = new int[NAMES.length][];
    private static final long[] SHORT_NAME_MASK = new long[NAMES.length];
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static {
        for (int id = 0; id < NAMES.length; id++) {
            byte[] quoted = (NAMES[id] + "\"").getBytes(StandardCharsets.US_ASCII);
            byte[] padded = Arrays.copyOf(quoted, Math.max(8, quoted.length));
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

    private ReadingFields() {
    }

    /** Whether the quoted name at {@code in} is field {@code id}'s, followed by its closing quote. */
    static boolean isNext(JsonCursor in, int id) {
        return in.nextBytesAre(NAME_WORDS[id], NAME_WORD_OFFSETS[id], SHORT_NAME_MASK[id]);
    }

    /** Reads the quoted field name at {@code in}; returns the known field's id or -1. */
    static int idOf(JsonCursor in) {
        in.parseString();
        if (in.stringWasDecoded()) {
            for (int id = 0; id < NAMES.length; id++) {
                if (NAMES[id].equals(in.decoded())) {
                    return id;
                }
            }
            return -1;
        }
        int slot = in.stringHash() & (TABLE_SIZE - 1);
        byte[] name;
        while ((name = TABLE_NAMES[slot]) != null) {
            if (in.stringIs(name)) {
                return TABLE_IDS[slot];
            }
            slot = (slot + 1) & (TABLE_SIZE - 1);
        }
        return -1;
    }
}
