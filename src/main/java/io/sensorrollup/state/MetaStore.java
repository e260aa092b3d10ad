package io.sensorrollup.state;

import java.nio.charset.StandardCharsets;

/**
 * The {@code meta} column family as typed values: the source position the state covers, the watermark and newest
 * timestamp, the outbox's next sequence number, and the two marks that tell a consistent cut from a store left
 * open. Writes join the store's pending batch; {@link PartitionStore#commit()} makes them one atomic write with it.
 */
final class MetaStore {

    /** 2: accumulators of format 2 and an arrival count ({@link io.sensorrollup.window.AccumulatorCodec}). */
    static final int CURRENT_STATE_FORMAT = 2;
    /** A state this build opens and carries on in its own format. */
    private static final int OLDEST_STATE_FORMAT = 1;

    /** The source position of the last message covered by the state (opaque bytes). */
    private static final byte[] POSITION = key("position");
    private static final byte[] WATERMARK = key("watermark");
    private static final byte[] MAX_TIMESTAMP = key("max-timestamp");
    private static final byte[] OUTBOX_NEXT_SEQ = key("outbox-next-seq");
    private static final byte[] ARRIVALS = key("arrivals");
    /**
     * 1 while a processor has the store open, 0 after a clean close and in a checkpoint: a store found
     * with 1 was not closed cleanly and is not a consistent cut (the WAL is off), so it must not be reused.
     */
    private static final byte[] IN_USE = key("in-use");
    /** The layout of the state (1 byte): lets a later build refuse or migrate an older layout. */
    private static final byte[] STATE_FORMAT = key("state-format");

    private final PartitionStore store;

    MetaStore(PartitionStore store) {
        this.store = store;
    }

    /** Refuses a store that a process left open, or that an other build laid out. */
    void requireConsistentCut() {
        byte[] inUse = store.get(store.meta(), IN_USE);
        if (inUse != null && inUse[0] != 0) {
            throw new StateException("state in " + store.dir() + " was not closed cleanly (the process stopped while"
                    + " it was open); restore it from a checkpoint");
        }
        byte[] format = store.get(store.meta(), STATE_FORMAT);
        if (format != null && (format[0] < OLDEST_STATE_FORMAT || format[0] > CURRENT_STATE_FORMAT)) {
            throw new StateException("state in " + store.dir() + " has format " + format[0] + ", this build reads "
                    + OLDEST_STATE_FORMAT + " to " + CURRENT_STATE_FORMAT);
        }
    }

    /** Null before the first message. */
    byte[] position() {
        return store.get(store.meta(), POSITION);
    }

    boolean hasWatermark() {
        return store.get(store.meta(), WATERMARK) != null;
    }

    long watermark() {
        return readLong(store.get(store.meta(), WATERMARK));
    }

    long maxTimestamp() {
        return readLong(store.get(store.meta(), MAX_TIMESTAMP));
    }

    /** 0 for a new store. */
    long outboxNextSeq() {
        byte[] seq = store.get(store.meta(), OUTBOX_NEXT_SEQ);
        return seq == null ? 0 : readLong(seq);
    }

    /** Readings taken so far; 0 for a new store and one of format 1. */
    long arrivals() {
        byte[] n = store.get(store.meta(), ARRIVALS);
        return n == null ? 0 : readLong(n);
    }

    /** Marks the store open by a processor of this build's format. */
    void markOpen() {
        store.put(store.meta(), STATE_FORMAT, new byte[] {CURRENT_STATE_FORMAT});
        markInUse(true);
    }

    void markInUse(boolean inUse) {
        store.put(store.meta(), IN_USE, new byte[] {(byte) (inUse ? 1 : 0)});
    }

    /** Where the state stands; {@code position} null leaves the stored one. */
    void write(byte[] position, long watermark, long maxTimestamp, long outboxNextSeq, long arrivals, boolean inUse) {
        if (position != null) {
            store.put(store.meta(), POSITION, position.clone());
        }
        store.put(store.meta(), WATERMARK, Outbox.key(watermark));
        store.put(store.meta(), MAX_TIMESTAMP, Outbox.key(maxTimestamp));
        store.put(store.meta(), OUTBOX_NEXT_SEQ, Outbox.key(outboxNextSeq));
        store.put(store.meta(), ARRIVALS, Outbox.key(arrivals));
        markInUse(inUse);
    }

    private static long readLong(byte[] b) {
        return Outbox.seqOf(b);
    }

    private static byte[] key(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
