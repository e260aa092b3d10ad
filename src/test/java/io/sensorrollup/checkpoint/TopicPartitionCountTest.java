package io.sensorrollup.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Item 11 of issue 12: the store remembers the topic's partition count, and a different count is refused. */
class TopicPartitionCountTest {

    private static final String TOPIC = "persistent://public/default/readings";

    @TempDir
    Path temp;

    @Test
    void theFirstStartRecordsTheCountAndLaterStartsWithTheSameCountPass() throws Exception {
        CheckpointStore store = new FileCheckpointStore(temp);
        TopicPartitionCount count = new TopicPartitionCount(store);
        assertEquals(OptionalInt.empty(), count.recorded());

        assertTrue(count.verify(TOPIC, 8), "recorded now");
        assertFalse(count.verify(TOPIC, 8), "already recorded");
        assertFalse(new TopicPartitionCount(new FileCheckpointStore(temp)).verify(TOPIC, 8), "another pod, same count");
        assertEquals(OptionalInt.of(8), count.recorded());
    }

    @Test
    void aDifferentCountIsRefusedNamingTheTopicBothCountsAndTheWayToRescale() throws Exception {
        CheckpointStore store = new FileCheckpointStore(temp);
        new TopicPartitionCount(store).verify(TOPIC, 2);

        PartitionCountChangedException refused = assertThrows(PartitionCountChangedException.class,
                () -> new TopicPartitionCount(store).verify(TOPIC, 3));
        assertEquals(2, refused.recorded());
        assertEquals(3, refused.actual());
        assertTrue(refused.getMessage().startsWith("Topic " + TOPIC + " has 3 partitions, but the checkpoints at "
                + store.describe(TopicPartitionCount.KEY) + " were taken with 2 partitions"), refused.getMessage());
        assertTrue(refused.getMessage().endsWith("see README: Rescaling"), refused.getMessage());
        assertEquals(OptionalInt.of(2), new TopicPartitionCount(store).recorded(), "the record stays as it was");
    }

    @Test
    void theRecordIsNotSeenAsAPartitionsCheckpoint() throws Exception {
        CheckpointStore store = new FileCheckpointStore(temp);
        new TopicPartitionCount(store).verify(TOPIC, 4);
        assertEquals(0, store.list("partition-").size(), "listings of partition-N/ must not see it");
        assertEquals(0, new Checkpoints(store).savepoints().size());
        assertTrue(Files.exists(temp.resolve(TopicPartitionCount.KEY)), "at the store's root");
    }

    @Test
    void aStoreThatFailsIsAnIoErrorToRetryNotARefusal() throws Exception {
        FailingStore store = new FailingStore(new FileCheckpointStore(temp));
        store.failNextPutIfAbsent();
        assertThrows(java.io.IOException.class, () -> new TopicPartitionCount(store).verify(TOPIC, 4));
        store.loseNextPutIfAbsentResponse();
        assertThrows(java.io.IOException.class, () -> new TopicPartitionCount(store).verify(TOPIC, 4));
        assertFalse(new TopicPartitionCount(store).verify(TOPIC, 4), "the retry finds its own record");
    }
}
