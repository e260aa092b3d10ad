package io.sensorrollup.state;

import io.sensorrollup.window.Accumulator;
import io.sensorrollup.window.AccumulatorCodec;
import io.sensorrollup.window.ByteWriter;
import io.sensorrollup.window.WindowKey;
import org.rocksdb.RocksIterator;

/** The {@code windows} column family: encoded keys to encoded accumulators. */
final class RocksWindowStore implements WindowStore {

    private final PartitionStore store;
    private final WindowKeyCodec keys = new WindowKeyCodec();
    private final ByteWriter value = new ByteWriter(512);

    RocksWindowStore(PartitionStore store) {
        this.store = store;
    }

    @Override
    public Accumulator get(WindowKey key) {
        byte[] v = store.get(store.windows(), keys.encode(key));
        return v == null ? null : AccumulatorCodec.decode(v);
    }

    @Override
    public void put(WindowKey key, Accumulator acc) {
        AccumulatorCodec.encode(acc, value.reset());
        store.put(store.windows(), keys.encode(key), value.toByteArray());
    }

    @Override
    public byte[] getEncoded(WindowKey key) {
        return store.get(store.windows(), keys.encode(key));
    }

    @Override
    public void putEncoded(WindowKey key, byte[] value) {
        store.put(store.windows(), keys.encode(key), value);
    }

    @Override
    public void delete(WindowKey key) {
        store.delete(store.windows(), keys.encode(key));
    }

    @Override
    public void flush() {
    }

    /** What {@link #forEachWindow} tells of one window. */
    @FunctionalInterface
    interface StoredWindow {
        /** @param version 0 while open; {@code direct} is {@link Accumulator#direct()} */
        void accept(WindowKey key, int version, boolean direct);
    }

    /** Every committed window, in key order. */
    void forEachWindow(StoredWindow action) {
        try (RocksIterator it = store.newIterator(store.windows())) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] value = it.value();
                action.accept(WindowKeyCodec.decode(it.key()), AccumulatorCodec.version(value), AccumulatorCodec.direct(value));
            }
        }
    }
}
