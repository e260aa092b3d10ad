package io.sensorrollup.state;

import io.sensorrollup.window.Accumulator;
import io.sensorrollup.window.AccumulatorCodec;
import io.sensorrollup.window.WindowKey;

/**
 * Accumulators by window key: the narrow interface the write-back cache decorates.
 * Writes reach the partition's pending batch (see {@link PartitionStore}); reads see them.
 */
interface WindowStore {

    /** The accumulator of {@code key} (which may be a probe), or null. */
    Accumulator get(WindowKey key);

    /** Records that {@code acc} is now the value of {@code key} (which may be a probe). */
    void put(WindowKey key, Accumulator acc);

    void delete(WindowKey key);

    /** Hands every buffered change down to the pending batch. */
    void flush();

    /** {@link #get} in {@link AccumulatorCodec}'s form. */
    default byte[] getEncoded(WindowKey key) {
        Accumulator acc = get(key);
        return acc == null ? null : AccumulatorCodec.encode(acc);
    }

    /** {@link #put} of a value in {@link AccumulatorCodec}'s form, which the store may keep. */
    default void putEncoded(WindowKey key, byte[] value) {
        put(key, AccumulatorCodec.decode(value));
    }
}
