package io.sensorrollup.state;

import java.util.ArrayList;
import java.util.List;
import org.rocksdb.RocksIterator;

/**
 * Emitted rows not yet confirmed by the sink, in the {@code outbox} column family under an 8-byte
 * big-endian sequence number, so key order is emission order. Appends go into the partition's pending
 * batch (atomic with the window change that produced them); reads and deletes are direct and happen
 * between batches.
 */
final class Outbox {

    private final PartitionStore store;
    private long nextSeq;
    /** Sequence numbers below this are deleted (confirmed); rows from here to nextSeq are waiting. */
    private long firstSeq;

    Outbox(PartitionStore store, long nextSeqFromMeta) {
        this.store = store;
        long next = nextSeqFromMeta;
        try (RocksIterator it = store.newIterator(store.outbox())) {
            it.seekToLast();
            if (it.isValid()) {
                next = Math.max(next, seqOf(it.key()) + 1);
            }
        }
        this.nextSeq = next;
        long first = next;
        try (RocksIterator it = store.newIterator(store.outbox())) {
            it.seekToFirst();
            if (it.isValid()) {
                first = seqOf(it.key());
            }
        }
        this.firstSeq = first;
    }

    /** Rows waiting for the sink (exact, since sequence numbers are dense and deletes are prefixes). */
    long backlog() {
        return nextSeq - firstSeq;
    }

    long nextSeq() {
        return nextSeq;
    }

    long append(byte[] row) {
        long seq = nextSeq++;
        store.put(store.outbox(), key(seq), row);
        return seq;
    }

    List<OutboxEntry> read(long afterSeq, int max) {
        List<OutboxEntry> out = new ArrayList<>(Math.min(max, 1024));
        try (RocksIterator it = store.newIterator(store.outbox())) {
            // start past the deleted prefix: seeking into it would walk over its range tombstones
            it.seek(key(Math.max(firstSeq, afterSeq + 1)));
            for (; it.isValid() && out.size() < max; it.next()) {
                out.add(new OutboxEntry(seqOf(it.key()), it.value()));
            }
        }
        return out;
    }

    void deleteThrough(long seq) {
        if (seq < 0) {
            return;
        }
        store.deleteRange(store.outbox(), key(0), key(seq + 1));
        firstSeq = Math.max(firstSeq, Math.min(seq + 1, nextSeq));
    }

    static byte[] key(long seq) {
        byte[] k = new byte[8];
        for (int i = 7; i >= 0; i--) {
            k[i] = (byte) seq;
            seq >>>= 8;
        }
        return k;
    }

    static long seqOf(byte[] k) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (k[i] & 0xFF);
        }
        return v;
    }
}
