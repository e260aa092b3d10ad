package io.sensorrollup.partition;

import io.sensorrollup.state.BatchResult;
import io.sensorrollup.state.Rejected;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One warning per rejection reason at most every {@code intervalMillis}, with how many readings it
 * covers: a producer sending garbage at 30 000/s gets a line a minute, not 30 000 a second.
 */
public final class RejectionLog implements TaskEvents {

    private static final System.Logger LOG = System.getLogger(RejectionLog.class.getName());

    private final long intervalMillis;
    private final LongSupplier clock;
    private final Map<String, Window> byReason = new ConcurrentHashMap<>();

    private static final class Window {
        final AtomicLong count = new AtomicLong();
        volatile long lastLogged = Long.MIN_VALUE;
    }

    public RejectionLog(long intervalMillis, LongSupplier clock) {
        this.intervalMillis = intervalMillis;
        this.clock = clock;
    }

    @Override
    public void processed(int partition, BatchResult result) {
        for (Rejected rejected : result.rejected()) {
            Window w = byReason.computeIfAbsent(rejected.reason(), r -> new Window());
            w.count.incrementAndGet();
            long now = clock.getAsLong();
            long last = w.lastLogged;
            if (last == Long.MIN_VALUE || now - last >= intervalMillis) {
                synchronized (w) {
                    if (w.lastLogged == last) {
                        w.lastLogged = now;
                        long n = w.count.getAndSet(0);
                        LOG.log(Level.WARNING, "{0} reading(s) rejected as \"{1}\"{2} (e.g. partition {3}); sent to the dead-letter topic",
                                n, rejected.reason(), last == Long.MIN_VALUE ? "" : " in the last " + (now - last) / 1000 + " s",
                                partition);
                    }
                }
            }
        }
    }
}
