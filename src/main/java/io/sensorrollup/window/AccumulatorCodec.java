package io.sensorrollup.window;

/**
 * The binary form of an {@link Accumulator}: a leading format byte, then (format 2)
 * <pre>
 * byte flags (bit 0: direct) | varint first_arrival | body
 * </pre>
 * where the body is the one format 1 had alone (and an outbox row still has, {@link WindowRowCodec}):
 * <pre>
 * varint version | varint message_count | zigzag first_event_time | varint (last - first)
 * string device_type | string customer_id | string site_id
 * byte position mask | double per present position
 * byte metric mask (count > 0) | per present metric: varint count, double sum, min, max
 * varint motion_detected_count | zigzag sum per counter
 * </pre>
 * Doubles are raw IEEE bits, so a round trip is exact. Format 1 was written before shorter windows filled the
 * longer ones: its windows read back as {@link Accumulator#direct() direct}, each reading added to them, with
 * arrival 0. A new layout gets a new format byte and this class keeps reading the old ones.
 */
public final class AccumulatorCodec {

    public static final int FORMAT_1 = 1;
    public static final int FORMAT_2 = 2;

    private static final int DIRECT = 1;

    private AccumulatorCodec() {
    }

    public static void encode(Accumulator a, ByteWriter out) {
        out.writeByte(FORMAT_2);
        out.writeByte(a.direct ? DIRECT : 0);
        out.writeVarLong(a.firstArrival);
        encodeBody(a, out);
    }

    public static byte[] encode(Accumulator a) {
        ByteWriter w = new ByteWriter(256);
        encode(a, w);
        return w.toByteArray();
    }

    public static Accumulator decode(byte[] bytes) {
        return decode(new ByteReader(bytes));
    }

    public static Accumulator decode(ByteReader in) {
        int format = in.readByte();
        boolean direct = true;
        long firstArrival = 0;
        if (format == FORMAT_2) {
            direct = readFlags(in) == DIRECT;
            firstArrival = in.readVarLong();
        } else if (format != FORMAT_1) {
            throw unknown(format);
        }
        Accumulator a = decodeBody(in);
        a.direct = direct;
        a.firstArrival = firstArrival;
        return a;
    }

    /** The version without decoding the rest (used when rebuilding indexes on open). */
    public static int version(byte[] bytes) {
        ByteReader in = new ByteReader(bytes);
        if (readFormat(in) == FORMAT_2) {
            readFlags(in);
            in.readVarLong();
        }
        return (int) in.readVarLong();
    }

    /** {@link Accumulator#direct()} without decoding the rest. */
    public static boolean direct(byte[] bytes) {
        ByteReader in = new ByteReader(bytes);
        return readFormat(in) == FORMAT_1 || readFlags(in) == DIRECT;
    }

    private static int readFormat(ByteReader in) {
        int format = in.readByte();
        if (format != FORMAT_1 && format != FORMAT_2) {
            throw unknown(format);
        }
        return format;
    }

    private static int readFlags(ByteReader in) {
        int flags = in.readByte();
        if ((flags & ~DIRECT) != 0) {
            throw new IllegalArgumentException("malformed accumulator: flags " + flags);
        }
        return flags;
    }

    private static IllegalArgumentException unknown(int format) {
        return new IllegalArgumentException("unknown accumulator format " + format + " (this build reads formats "
                + FORMAT_1 + " and " + FORMAT_2 + ")");
    }

    static void encodeBody(Accumulator a, ByteWriter out) {
        out.writeVarLong(a.version);
        out.writeVarLong(a.messageCount);
        out.writeZigZag(a.firstEventTime);
        out.writeVarLong(a.lastEventTime - a.firstEventTime);
        out.writeString(a.deviceType);
        out.writeString(a.customerId);
        out.writeString(a.siteId);
        out.writeByte(a.positionPresent);
        for (int i = 0; i < 3; i++) {
            if (a.hasPosition(i)) {
                out.writeDouble(a.position[i]);
            }
        }
        int mask = 0;
        for (int m = 0; m < Accumulator.METRICS; m++) {
            if (a.metricCount[m] > 0) {
                mask |= 1 << m;
            }
        }
        out.writeByte(mask);
        for (int m = 0; m < Accumulator.METRICS; m++) {
            if (a.metricCount[m] > 0) {
                out.writeVarLong(a.metricCount[m]);
                out.writeDouble(a.metricSum[m]);
                out.writeDouble(a.metricMin[m]);
                out.writeDouble(a.metricMax[m]);
            }
        }
        out.writeVarLong(a.motionDetectedCount);
        for (int c = 0; c < Accumulator.COUNTERS; c++) {
            out.writeZigZag(a.counterSum[c]);
        }
    }

    static Accumulator decodeBody(ByteReader in) {
        Accumulator a = new Accumulator();
        a.version = (int) in.readVarLong();
        a.messageCount = in.readVarLong();
        a.firstEventTime = in.readZigZag();
        a.lastEventTime = a.firstEventTime + in.readVarLong();
        a.deviceType = in.readString();
        a.customerId = in.readString();
        a.siteId = in.readString();
        a.positionPresent = in.readByte();
        if (a.positionPresent > 7) {
            throw new IllegalArgumentException("malformed accumulator: position mask " + a.positionPresent);
        }
        for (int i = 0; i < 3; i++) {
            if (a.hasPosition(i)) {
                a.position[i] = in.readDouble();
            }
        }
        int mask = in.readByte();
        for (int m = 0; m < Accumulator.METRICS; m++) {
            if ((mask & (1 << m)) != 0) {
                a.metricCount[m] = in.readVarLong();
                a.metricSum[m] = in.readDouble();
                a.metricMin[m] = in.readDouble();
                a.metricMax[m] = in.readDouble();
            }
        }
        a.motionDetectedCount = in.readVarLong();
        for (int c = 0; c < Accumulator.COUNTERS; c++) {
            a.counterSum[c] = in.readZigZag();
        }
        return a;
    }
}
