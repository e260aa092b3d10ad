package io.sensorrollup.state;

import io.sensorrollup.window.Accumulator;
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
}
