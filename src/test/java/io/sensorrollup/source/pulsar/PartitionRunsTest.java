package io.sensorrollup.source.pulsar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.pulsar.client.impl.BatchMessageIdImpl;
import org.apache.pulsar.client.impl.MessageIdImpl;
import org.junit.jupiter.api.Test;

/**
 * Seen in dev/chaos (seed 1): after the broker restarted, one batch of the connector held a partition's messages
 * the client still had and, behind them, the broker's new delivery from the acknowledged position. The partition
 * skipped only the batch's processed prefix, so about 40 readings were counted twice.
 */
class PartitionRunsTest {

    private final PartitionRuns runs = new PartitionRuns();

    @Test
    void aPartitionsMessagesThatStepBackStartANewBatch() {
        add(0, 0, 5, 0, 9);   // what the client held: entries 0..9 of ledger 5
        add(1, 0, 7, 0, 3);   // another partition in between
        add(0, 0, 5, 3, 12);  // the broker's delivery again from entry 3
        add(0, 0, 6, 0, 1);   // a newer ledger goes on in the same batch
        assertEquals(3, runs.size());
        assertEquals(List.of(500L, 509L), span(0));
        assertEquals(1, runs.partition(1));
        assertEquals(0, runs.partition(2));
        assertEquals(List.of(503L, 601L), span(2), "entries 3..12 of ledger 5, then 0..1 of ledger 6");
    }

    @Test
    void aNewerGenerationStartsANewBatchEvenWhereItGoesOn() {
        add(0, 0, 5, 0, 4);
        add(0, 1, 5, 5, 9);
        assertEquals(2, runs.size());
        assertEquals(0, runs.batch(0).generation());
        assertEquals(1, runs.batch(1).generation());
    }

    @Test
    void batchIndexesOfOneEntryGoOnInOneBatch() {
        for (int i = 0; i < 3; i++) {
            runs.add(0, 0, new BatchMessageIdImpl(5, 1, -1, i, 3, null), new byte[0], 0, 0);
        }
        assertEquals(1, runs.size());
        assertEquals(3, runs.batch(0).size());
    }

    /**
     * PartitionHandBackIT saw it: another consumer took the partition, acknowledged and left within Pulsar's failover
     * delay, unheard of here; the delivery went on from its acknowledged position, in the same batch.
     */
    @Test
    void aPartitionsMessagesThatGoOnPastAGapStartANewBatch() {
        add(0, 0, 5, 0, 9);
        add(0, 0, 5, 20, 22); // 10..19 went to the other consumer
        add(0, 0, 6, 3, 4);     // a later ledger, but not from its first entry
        assertEquals(3, runs.size());
        assertEquals(List.of(500L, 509L), span(0));
        assertEquals(List.of(520L, 522L), span(1));
        assertEquals(List.of(603L, 604L), span(2));
    }

    /** Entries first..last of {@code ledger}. */
    private void add(int partition, long generation, long ledger, long first, long last) {
        for (long e = first; e <= last; e++) {
            runs.add(partition, generation, new MessageIdImpl(ledger, e, -1), new byte[0], 0, 0);
        }
    }

    /** A position's ledger * 100 + entry: the position is the message id, serialized. */
    private static long ledgerEntry(byte[] position) {
        MessageIdImpl id = (MessageIdImpl) PulsarCursor.messageId(position);
        return id.getLedgerId() * 100 + id.getEntryId();
    }

    private List<Long> span(int run) {
        List<Long> ends = new ArrayList<>();
        ends.add(ledgerEntry(runs.batch(run).position(0)));
        ends.add(ledgerEntry(runs.batch(run).position(runs.batch(run).size() - 1)));
        return ends;
    }
}
