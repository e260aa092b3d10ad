package io.sensorrollup.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorrollup.source.Reading;
import io.sensorrollup.window.Accumulator;
import io.sensorrollup.window.AccumulatorCodec;
import io.sensorrollup.window.WindowKey;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CachingWindowStoreTest {

    /** An inner store that records what reached it, as bytes (so later in-memory changes do not leak in). */
    static final class MapStore implements WindowStore {
        final Map<WindowKey, byte[]> data = new HashMap<>();
        int puts;
        int gets;

        @Override
        public Accumulator get(WindowKey key) {
            gets++;
            byte[] v = data.get(key.copy());
            return v == null ? null : AccumulatorCodec.decode(v);
        }

        @Override
        public void put(WindowKey key, Accumulator acc) {
            puts++;
            data.put(key.copy(), AccumulatorCodec.encode(acc));
        }

        @Override
        public void delete(WindowKey key) {
            data.remove(key.copy());
        }

        @Override
        public void flush() {
        }
    }

    private static Accumulator withReadings(int n) {
        Accumulator a = new Accumulator();
        Reading r = new Reading().deviceId("d").timestamp(1).metric(0, 1.0);
        for (int i = 0; i < n; i++) {
            a.add(r, i);
        }
        return a;
    }

    @Test
    void writesReachTheInnerStoreOnlyAtFlush() {
        MapStore inner = new MapStore();
        CachingWindowStore cache = new CachingWindowStore(inner, 1 << 20);
        WindowKey probe = WindowKey.probe();
        Accumulator a = withReadings(1);
        cache.put(probe.set("d", 60_000, 0), a);
        Accumulator copy = cache.get(probe.set("d", 60_000, 0));
        assertNotSame(a, copy, "entries are kept encoded: a get decodes a copy");
        assertArrayEquals(AccumulatorCodec.encode(a), AccumulatorCodec.encode(copy));
        copy.add(new Reading().deviceId("d").timestamp(2), 1);
        assertEquals(1, cache.get(probe).messageCount(), "a copy changed and not put back changes nothing");
        a.add(new Reading().deviceId("d").timestamp(2), 1);
        cache.put(probe, a);
        assertEquals(0, inner.puts, "write-back: nothing written yet");
        cache.flush();
        assertEquals(1, inner.puts);
        assertEquals(2, AccumulatorCodec.decode(inner.data.get(new WindowKey("d", 60_000, 0))).messageCount());
        cache.flush();
        assertEquals(1, inner.puts, "clean entries are not written again");
        probe.set("x", 1, 2);
        assertEquals(new WindowKey("d", 60_000, 0), inner.data.keySet().iterator().next(), "probe never stored");
    }

    @Test
    void overBudgetEvictsLeastRecentlyUsedWritingOnlyDirtyOnes() {
        MapStore inner = new MapStore();
        int entryBytes = 136 + 2 + AccumulatorCodec.encode(withReadings(1)).length;
        CachingWindowStore cache = new CachingWindowStore(inner, 10L * entryBytes);
        WindowKey probe = WindowKey.probe();
        for (int i = 0; i < 10; i++) {
            cache.put(probe.set("d", 60_000, i * 60_000L), withReadings(1));
        }
        cache.flush();
        assertEquals(10, inner.puts);
        cache.get(probe.set("d", 60_000, 0)); // most recently used now
        cache.put(probe.set("d", 60_000, 600_000), withReadings(3));
        assertTrue(cache.evictions() > 0);
        assertTrue(cache.usedBytes() <= 10L * entryBytes);
        assertEquals(10, inner.puts, "evicted entries were clean");
        assertEquals(1, cache.get(probe.set("d", 60_000, 0)).messageCount(), "recently used entry kept");
        int gets = inner.gets;
        assertEquals(1, cache.get(probe.set("d", 60_000, 60_000)).messageCount(), "evicted entry is read back");
        assertEquals(gets + 1, inner.gets);
        // a dirty entry that gets evicted is written first
        for (int i = 20; i < 40; i++) {
            cache.put(probe.set("e", 60_000, i * 60_000L), withReadings(2));
        }
        assertTrue(inner.data.containsKey(new WindowKey("d", 60_000, 600_000)));
        assertEquals(3, AccumulatorCodec.decode(inner.data.get(new WindowKey("d", 60_000, 600_000))).messageCount());
    }

    @Test
    void uncachedReadsAndWritesLeaveTheCacheAsItWasAndUpdateWhatItHolds() {
        MapStore inner = new MapStore();
        inner.put(new WindowKey("long", 300_000, 0), withReadings(4));
        CachingWindowStore cache = new CachingWindowStore(inner, 1 << 20);
        WindowKey probe = WindowKey.probe();
        cache.put(probe.set("hot", 60_000, 0), withReadings(1));

        Accumulator longer = cache.getUncached(probe.set("long", 300_000, 0));
        assertEquals(4, longer.messageCount());
        longer.merge(withReadings(2));
        cache.putUncached(probe, longer);
        assertEquals(1, cache.size(), "the longer window did not enter the cache");
        assertEquals(6, AccumulatorCodec.decode(inner.data.get(new WindowKey("long", 300_000, 0))).messageCount(),
                "written below at once");

        Accumulator hot = cache.getUncached(probe.set("hot", 60_000, 0));
        hot.add(new Reading().deviceId("hot").timestamp(3), 2);
        int puts = inner.puts;
        cache.putUncached(probe, hot);
        assertEquals(puts, inner.puts, "a cached window is updated in the cache, written at the flush");
        assertEquals(2, cache.get(probe).messageCount());
        assertEquals(0, cache.hits() + cache.misses() - 1, "uncached reads are neither hits nor misses");
    }

    @Test
    void deleteRemovesFromCacheAndInner() {
        MapStore inner = new MapStore();
        CachingWindowStore cache = new CachingWindowStore(inner, 1 << 20);
        WindowKey k = new WindowKey("d", 60_000, 0);
        cache.put(k, withReadings(1));
        cache.flush();
        cache.delete(k);
        assertNull(cache.get(k));
        assertFalse(inner.data.containsKey(k));
        cache.flush();
        assertFalse(inner.data.containsKey(k), "a deleted entry is not resurrected by a flush");
    }

    @Test
    void countsReadsAnsweredInMemoryAsHitsAndReadsThatWentDownAsMisses() {
        MapStore inner = new MapStore();
        inner.put(new WindowKey("stored", 60_000, 0), withReadings(1));
        CachingWindowStore cache = new CachingWindowStore(inner, 1 << 20);
        WindowKey probe = WindowKey.probe();
        assertNull(cache.get(probe.set("new", 60_000, 0)));
        cache.put(probe, withReadings(1));
        cache.get(probe.set("new", 60_000, 0));
        cache.get(probe.set("stored", 60_000, 0));
        cache.get(probe.set("stored", 60_000, 0));
        assertEquals(2, cache.misses(), "the new window's first read and the stored one's first read");
        assertEquals(2, cache.hits(), "the new window once put, the stored one once read");
    }
}
