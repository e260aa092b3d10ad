package io.sensorrollup.source.pulsar;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.pulsar.client.impl.BatchMessageIdImpl;
import org.apache.pulsar.client.impl.ChunkMessageIdImpl;
import org.apache.pulsar.client.impl.MessageIdImpl;
import org.junit.jupiter.api.Test;

class PulsarCursorTest {

    private final PulsarCursor cursor = new PulsarCursor(null, null, null);

    @Test
    void theNextEntryOfALedgerOrTheFirstOfALaterOneFollows() {
        assertTrue(follows(entry(7, 41), entry(7, 42)));
        assertTrue(follows(entry(7, -1), entry(7, 0)), "a mark-delete position before the ledger's first entry");
        assertTrue(follows(entry(7, 42), entry(9, 0)), "ledgers are numbered across topics: any later one");
        assertFalse(follows(entry(7, 41), entry(7, 52)), "ten entries between: a read-ahead");
        assertFalse(follows(entry(7, 41), entry(9, 3)));
        assertFalse(follows(entry(7, 41), entry(6, 0)));
        assertFalse(follows(entry(7, 41), entry(7, 41)));
    }

    @Test
    void withinABatchTheNextMessageFollowsAndTheNextEntryStartsAtItsFirst() {
        assertTrue(follows(batch(7, 41, 3), batch(7, 41, 4)));
        assertTrue(follows(batch(7, 41, 9), batch(7, 42, 0)));
        assertTrue(follows(entry(7, 41), batch(7, 42, 0)));
        assertFalse(follows(batch(7, 41, 3), batch(7, 42, 2)));
        assertFalse(follows(batch(7, 41, 3), batch(7, 42, 0)), "messages 4..9 of entry 41 between");
        assertFalse(follows(batch(7, 41, 3), batch(9, 0, 0)), "and before a later ledger too");
        assertFalse(follows(batch(7, 41, 3), batch(7, 41, 5)));
    }

    @Test
    void aChunkedMessageStartsAtItsFirstChunk() {
        ChunkMessageIdImpl chunked = new ChunkMessageIdImpl(new MessageIdImpl(7, 42, -1), new MessageIdImpl(7, 44, -1));
        assertTrue(follows(entry(7, 41), chunked));
        assertTrue(follows(chunked, entry(7, 45)), "and ends at its last");
        assertFalse(follows(entry(7, 43), chunked));
    }

    @Test
    void aLaterLedgersFirstEntryFollowsOnlyWhatEndedTheEarlierLedger() {
        java.util.SortedMap<Long, Long> ledgers = new java.util.TreeMap<>(java.util.Map.of(192L, 12173L, 250L, 0L, 313L, 5688L));
        java.util.Optional<long[]> acknowledged = java.util.Optional.of(new long[] {192, 12172});
        assertTrue(PulsarCursor.nothingBetween(entry(192, 12172), entry(313, 0), ledgers, acknowledged));
        assertFalse(PulsarCursor.nothingBetween(entry(192, 12100), entry(313, 0), ledgers, acknowledged), "the ledger's tail between");
        ledgers.put(250L, 3L);
        assertFalse(PulsarCursor.nothingBetween(entry(192, 12172), entry(313, 0), ledgers, acknowledged), "a ledger between holds entries");
    }

    @Test
    void aLedgerTheBrokerDeletedAfterItWasAcknowledgedEndedAtTheAcknowledgedPosition() {
        // a graceful stop acknowledged 192:12172, the last entry; the broker restarted, went on in 313 and deleted 192
        java.util.SortedMap<Long, Long> ledgers = new java.util.TreeMap<>(java.util.Map.of(313L, 5688L, 443L, 0L));
        assertTrue(PulsarCursor.nothingBetween(entry(192, 12172), entry(313, 0), ledgers,
                java.util.Optional.of(new long[] {192, 12172})));
        assertFalse(PulsarCursor.nothingBetween(entry(192, 12100), entry(313, 0), ledgers,
                java.util.Optional.of(new long[] {192, 12172})), "acknowledged past this position: not its end");
        assertFalse(PulsarCursor.nothingBetween(entry(192, 12172), entry(313, 0), ledgers, java.util.Optional.empty()));
    }

    private boolean follows(MessageIdImpl previous, MessageIdImpl next) {
        return cursor.follows(previous.toByteArray(), next.toByteArray());
    }

    private static MessageIdImpl entry(long ledger, long entry) {
        return new MessageIdImpl(ledger, entry, -1);
    }

    private static MessageIdImpl batch(long ledger, long entry, int index) {
        return new BatchMessageIdImpl(ledger, entry, -1, index, 10, null);
    }
}
