package io.sensorrollup.source;

import java.util.Arrays;
import java.util.function.Function;

/**
 * A batch of raw messages of one partition, in arrival order, each following the one before without a gap
 * ({@link SourceCursor#follows}), so a gap can only come between batches: payload bytes, an
 * opaque position (the source's message id), the arrival wall-clock time and the time the broker stored the message (Pulsar's
 * publish time), which bounds event time (CONTRACT §1). Reusable: {@link #clear()} and fill again.
 * Holds references to the arrays it is given, it does not copy them. A position may be given as the source's own
 * id, encoded only when asked for ({@link #addEncodedLater}): a partition reads the positions of a batch's first and
 * last messages and of its rejected ones, so serializing every id up front was work for nothing.
 *
 * <p>Its generation names the source's delivery it belongs to: {@link SourceCursor#fence} starts a newer one
 * when a partition moves to another consumer, and messages of an older generation are left-overs of the turn
 * before, which the delivery after the partition comes back brings again.
 */
public final class RawBatch {

    /** The publish time of a message whose source does not know one: its event time has no upper bound. */
    public static final long UNKNOWN_PUBLISH_TIME = Long.MAX_VALUE;

    private byte[][] payloads;
    private int[] offsets;
    private int[] lengths;
    /** Each a position, or a source id that {@link #encoder} turns into one. */
    private Object[] positions;
    private Function<Object, byte[]> encoder;
    private long[] arrivals;
    private long[] publishTimes;
    private int size;
    private long bytes;
    private long generation;

    public RawBatch() {
        this(64);
    }

    public RawBatch(int capacity) {
        int c = Math.max(1, capacity);
        payloads = new byte[c][];
        offsets = new int[c];
        lengths = new int[c];
        positions = new Object[c];
        arrivals = new long[c];
        publishTimes = new long[c];
    }

    public RawBatch add(byte[] payload, byte[] position, long arrivalMillis) {
        return add(payload, 0, payload.length, position, arrivalMillis);
    }

    public RawBatch add(byte[] payload, int offset, int length, byte[] position, long arrivalMillis) {
        return add(payload, offset, length, position, arrivalMillis, UNKNOWN_PUBLISH_TIME);
    }

    public RawBatch add(byte[] payload, byte[] position, long arrivalMillis, long publishMillis) {
        return add(payload, 0, payload.length, position, arrivalMillis, publishMillis);
    }

    public RawBatch add(byte[] payload, int offset, int length, byte[] position, long arrivalMillis, long publishMillis) {
        return append(payload, offset, length, position, arrivalMillis, publishMillis);
    }

    /**
     * Adds a message whose position is {@code encoder} applied to {@code sourceId}, computed the first time it is
     * asked for. One batch has one encoder.
     */
    public RawBatch addEncodedLater(byte[] payload, Object sourceId, Function<Object, byte[]> encoder, long arrivalMillis,
            long publishMillis) {
        if (this.encoder != null && this.encoder != encoder) {
            throw new IllegalArgumentException("one batch, one position encoder");
        }
        this.encoder = encoder;
        return append(payload, 0, payload.length, sourceId, arrivalMillis, publishMillis);
    }

    private RawBatch append(byte[] payload, int offset, int length, Object position, long arrivalMillis, long publishMillis) {
        if (size == payloads.length) {
            int c = size * 2;
            payloads = Arrays.copyOf(payloads, c);
            offsets = Arrays.copyOf(offsets, c);
            lengths = Arrays.copyOf(lengths, c);
            positions = Arrays.copyOf(positions, c);
            arrivals = Arrays.copyOf(arrivals, c);
            publishTimes = Arrays.copyOf(publishTimes, c);
        }
        payloads[size] = payload;
        offsets[size] = offset;
        lengths[size] = length;
        positions[size] = position;
        arrivals[size] = arrivalMillis;
        publishTimes[size] = publishMillis;
        size++;
        bytes += length;
        return this;
    }

    /** The source's delivery these messages came in (0 for a source that is never fenced). */
    public long generation() {
        return generation;
    }

    public RawBatch generation(long delivery) {
        this.generation = delivery;
        return this;
    }

    /** A new batch of this one's messages from index {@code first} on (the arrays are shared, not copied). */
    public RawBatch from(int first) {
        RawBatch rest = new RawBatch(size - first).generation(generation);
        rest.encoder = encoder;
        for (int i = first; i < size; i++) {
            rest.append(payloads[i], offsets[i], lengths[i], positions[i], arrivals[i], publishMillis(i));
        }
        return rest;
    }

    public void clear() {
        Arrays.fill(payloads, 0, size, null);
        Arrays.fill(positions, 0, size, null);
        size = 0;
        bytes = 0;
        generation = 0;
        encoder = null;
    }

    /** The payload bytes of the batch. */
    public long bytes() {
        return bytes;
    }

    public int size() {
        return size;
    }

    public byte[] payload(int i) {
        return payloads[i];
    }

    public int offset(int i) {
        return offsets[i];
    }

    public int length(int i) {
        return lengths[i];
    }

    public byte[] position(int i) {
        if (positions[i] instanceof byte[] position) {
            return position;
        }
        if (positions[i] == null) {
            return null;
        }
        byte[] position = encoder.apply(positions[i]);
        positions[i] = position;
        return position;
    }

    public long arrivalMillis(int i) {
        return arrivals[i];
    }

    /** Epoch millis at which the broker stored message {@code i}, or {@link #UNKNOWN_PUBLISH_TIME}. */
    public long publishMillis(int i) {
        return publishTimes[i];
    }
}
