package io.sensorrollup.source;

import java.nio.ByteBuffer;

/** Source positions that are plain sequence numbers (8 bytes, big-endian): the in-process source's, and the tests'. */
public final class SequencePositions {

    private SequencePositions() {
    }

    public static byte[] of(long sequence) {
        return ByteBuffer.allocate(8).putLong(sequence).array();
    }

    public static long sequence(byte[] position) {
        return ByteBuffer.wrap(position).getLong();
    }

    public static int compare(byte[] a, byte[] b) {
        return Long.compare(sequence(a), sequence(b));
    }
}
