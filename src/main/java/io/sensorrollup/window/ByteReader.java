package io.sensorrollup.window;

import java.nio.charset.StandardCharsets;

/** Reads what {@link ByteWriter} wrote; throws IllegalArgumentException on truncated input. */
public final class ByteReader {

    private final byte[] buf;
    private int pos;
    private final int end;

    public ByteReader(byte[] buf, int off, int len) {
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
    }

    public ByteReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public boolean atEnd() {
        return pos == end;
    }

    private void need(int n) {
        if (end - pos < n) {
            throw new IllegalArgumentException("truncated state record");
        }
    }

    public int readByte() {
        need(1);
        return buf[pos++] & 0xFF;
    }

    public long readLong() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    public double readDouble() {
        return Double.longBitsToDouble(readLong());
    }

    public long readVarLong() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IllegalArgumentException("malformed varint in state record");
    }

    public long readZigZag() {
        long v = readVarLong();
        return (v >>> 1) ^ -(v & 1);
    }

    public String readString() {
        long n = readVarLong();
        if (n == 0) {
            return null;
        }
        int len = (int) (n - 1);
        need(len);
        String s = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }
}
