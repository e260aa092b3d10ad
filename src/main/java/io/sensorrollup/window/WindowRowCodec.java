package io.sensorrollup.window;

/**
 * The binary form of a {@link WindowRow} (the outbox value): a format byte, then (format 1)
 * {@code string device_id | varint size_ms | zigzag window_start} and the accumulator body of
 * {@link AccumulatorCodec}. Equal rows have equal bytes, which is what "a replay produces the same rows
 * byte for byte" is checked against.
 */
public final class WindowRowCodec {

    public static final int FORMAT_1 = 1;

    private WindowRowCodec() {
    }

    public static void encode(WindowKey key, Accumulator values, ByteWriter out) {
        out.writeByte(FORMAT_1);
        out.writeString(key.deviceId());
        out.writeVarLong(key.sizeMillis());
        out.writeZigZag(key.start());
        AccumulatorCodec.encodeBody(values, out);
    }

    public static byte[] encode(WindowRow row) {
        ByteWriter w = new ByteWriter(256);
        encode(row.key(), row.values(), w);
        return w.toByteArray();
    }

    public static WindowRow decode(byte[] bytes) {
        ByteReader in = new ByteReader(bytes);
        int format = in.readByte();
        if (format != FORMAT_1) {
            throw new IllegalArgumentException("unknown window row format " + format
                    + " (this build reads format " + FORMAT_1 + ")");
        }
        String deviceId = in.readString();
        long size = in.readVarLong();
        long start = in.readZigZag();
        Accumulator values = AccumulatorCodec.decodeBody(in);
        if (!in.atEnd()) {
            throw new IllegalArgumentException("malformed window row: trailing bytes");
        }
        return WindowRow.wrap(new WindowKey(deviceId, size, start), values);
    }
}
