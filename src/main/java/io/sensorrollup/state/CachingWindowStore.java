package io.sensorrollup.state;

import io.sensorrollup.window.Accumulator;
import io.sensorrollup.window.AccumulatorCodec;
import io.sensorrollup.window.ByteWriter;
import io.sensorrollup.window.WindowKey;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded write-back cache in front of another {@link WindowStore} (Kafka Streams' caching store is the
 * model): readings update accumulators in memory; a dirty one goes down only at {@link #flush()} (checkpoint) or
 * when the cache is over its byte budget, which evicts least recently used entries down to 90% of the budget
 * (writing the dirty ones) so eviction happens in chunks.
 *
 * <p>Entries are kept encoded ({@link AccumulatorCodec}, about 200 bytes) rather than as accumulator objects (about
 * 600): a budget then holds three times the windows, and at a million devices the difference is between a reading
 * finding its window in memory or reading it back from RocksDB. {@link #get} decodes a copy, {@link #put} encodes
 * it back; both cost far less than the RocksDB read and the eviction write they save.
 *
 * <p>{@link #getUncached} and {@link #putUncached} go past the cache for windows touched once in a while (a longer
 * window at each merge, a window when it closes), so they do not evict the windows that readings update.
 */
final class CachingWindowStore implements WindowStore {

    private static final int ENTRY_OVERHEAD = 136; // key object, map entry, cache entry, array header

    private static final class Entry {
        byte[] value;
        boolean dirty;
        int bytes;
    }

    private final WindowStore inner;
    private final long budget;
    private final LinkedHashMap<WindowKey, Entry> entries = new LinkedHashMap<>(1024, 0.75f, true);
    private final ByteWriter encoder = new ByteWriter(512);
    private long usedBytes;
    // the entry and the copy returned by the last get, so the put that follows it needs no second lookup
    private Entry last;
    private Accumulator lastCopy;
    private long evictions;
    private long hits;
    private long misses;

    CachingWindowStore(WindowStore inner, long budgetBytes) {
        this.inner = inner;
        this.budget = budgetBytes;
    }

    /** A copy of the window's accumulator, kept in the cache from now on; put it back after changing it. */
    @Override
    public Accumulator get(WindowKey key) {
        Entry e = entries.get(key);
        if (e != null) {
            hits++;
        } else {
            misses++;
            byte[] stored = inner.getEncoded(key);
            if (stored == null) {
                forgetLast();
                return null;
            }
            e = insert(key.copy(), stored, false);
        }
        last = e;
        lastCopy = AccumulatorCodec.decode(e.value);
        return lastCopy;
    }

    @Override
    public void put(WindowKey key, Accumulator acc) {
        Entry e = last != null && lastCopy == acc ? last : entries.get(key);
        AccumulatorCodec.encode(acc, encoder.reset());
        if (e == null) {
            e = insert(key.copy(), encoder.toByteArray(), true);
        } else {
            update(e);
        }
        if (usedBytes > budget) {
            evict();
        }
    }

    /** Like {@link #get}, but a window that is not in the cache is read from below without entering it. */
    Accumulator getUncached(WindowKey key) {
        forgetLast();
        Entry e = entries.get(key);
        if (e != null) {
            return AccumulatorCodec.decode(e.value);
        }
        byte[] stored = inner.getEncoded(key);
        return stored == null ? null : AccumulatorCodec.decode(stored);
    }

    /** Like {@link #put}, but a window that is not in the cache is written below at once, without entering it. */
    void putUncached(WindowKey key, Accumulator acc) {
        forgetLast();
        Entry e = entries.get(key);
        AccumulatorCodec.encode(acc, encoder.reset());
        if (e == null) {
            inner.putEncoded(key, encoder.toByteArray());
        } else {
            update(e);
        }
    }

    @Override
    public void delete(WindowKey key) {
        Entry e = entries.remove(key);
        if (e != null) {
            usedBytes -= e.bytes;
            if (last == e) {
                forgetLast();
            }
        }
        inner.delete(key);
    }

    @Override
    public void flush() {
        for (Map.Entry<WindowKey, Entry> me : entries.entrySet()) {
            Entry e = me.getValue();
            if (e.dirty) {
                inner.putEncoded(me.getKey(), e.value);
                e.dirty = false;
            }
        }
        inner.flush();
    }

    long usedBytes() {
        return usedBytes;
    }

    int size() {
        return entries.size();
    }

    long evictions() {
        return evictions;
    }

    long hits() {
        return hits;
    }

    long misses() {
        return misses;
    }

    private void forgetLast() {
        last = null;
        lastCopy = null;
    }

    /** Stores the encoder's bytes in {@code e}, in its own array when the length is unchanged (the usual case). */
    private void update(Entry e) {
        int n = encoder.length();
        if (e.value.length == n) {
            System.arraycopy(encoder.array(), 0, e.value, 0, n);
        } else {
            usedBytes += n - e.value.length;
            e.bytes += n - e.value.length;
            e.value = encoder.toByteArray();
        }
        e.dirty = true;
    }

    private Entry insert(WindowKey key, byte[] value, boolean dirty) {
        Entry e = new Entry();
        e.value = value;
        e.dirty = dirty;
        e.bytes = ENTRY_OVERHEAD + 2 * key.deviceId().length() + value.length;
        entries.put(key, e);
        usedBytes += e.bytes;
        return e;
    }

    private void evict() {
        long target = budget - budget / 10;
        Iterator<Map.Entry<WindowKey, Entry>> it = entries.entrySet().iterator();
        while (usedBytes > target && it.hasNext()) {
            Map.Entry<WindowKey, Entry> me = it.next();
            Entry e = me.getValue();
            if (e.dirty) {
                inner.putEncoded(me.getKey(), e.value);
            }
            it.remove();
            usedBytes -= e.bytes;
            evictions++;
            if (last == e) {
                forgetLast();
            }
        }
    }
}
