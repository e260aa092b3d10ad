package io.sensorrollup.state;

import io.sensorrollup.window.Accumulator;
import io.sensorrollup.window.WindowKey;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded write-back cache in front of another {@link WindowStore} (Kafka Streams' caching store is the
 * model): readings update accumulator objects in memory; a dirty accumulator goes down only at
 * {@link #flush()} (checkpoint) or when the cache is over its byte budget, which evicts least recently
 * used entries down to 90% of the budget (writing the dirty ones) so eviction happens in chunks.
 */
final class CachingWindowStore implements WindowStore {

    private static final int KEY_OVERHEAD = 120; // key object, map entry, cache entry

    private static final class Entry {
        Accumulator acc;
        boolean dirty;
        int bytes;
    }

    private final WindowStore inner;
    private final long budget;
    private final LinkedHashMap<WindowKey, Entry> entries = new LinkedHashMap<>(1024, 0.75f, true);
    private long usedBytes;
    // the entry returned by the last get, so the put that follows it needs no second lookup
    private Entry last;
    private long evictions;
    private long hits;
    private long misses;

    CachingWindowStore(WindowStore inner, long budgetBytes) {
        this.inner = inner;
        this.budget = budgetBytes;
    }

    @Override
    public Accumulator get(WindowKey key) {
        Entry e = entries.get(key);
        if (e != null) {
            hits++;
        } else {
            misses++;
            Accumulator acc = inner.get(key);
            if (acc == null) {
                last = null;
                return null;
            }
            e = insert(key.copy(), acc, false);
        }
        last = e;
        return e.acc;
    }

    @Override
    public void put(WindowKey key, Accumulator acc) {
        Entry e = last != null && last.acc == acc ? last : entries.get(key);
        if (e == null) {
            e = insert(key.copy(), acc, true);
        } else {
            e.acc = acc;
            e.dirty = true;
        }
        if (usedBytes > budget) {
            evict();
        }
    }

    @Override
    public void delete(WindowKey key) {
        Entry e = entries.remove(key);
        if (e != null) {
            usedBytes -= e.bytes;
            if (last == e) {
                last = null;
            }
        }
        inner.delete(key);
    }

    @Override
    public void flush() {
        for (Map.Entry<WindowKey, Entry> me : entries.entrySet()) {
            Entry e = me.getValue();
            if (e.dirty) {
                inner.put(me.getKey(), e.acc);
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

    private Entry insert(WindowKey key, Accumulator acc, boolean dirty) {
        Entry e = new Entry();
        e.acc = acc;
        e.dirty = dirty;
        e.bytes = KEY_OVERHEAD + 2 * key.deviceId().length() + acc.estimatedHeapBytes();
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
                inner.put(me.getKey(), e.acc);
            }
            it.remove();
            usedBytes -= e.bytes;
            evictions++;
            if (last == e) {
                last = null;
            }
        }
    }
}
