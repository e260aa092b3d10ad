package io.sensorrollup.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorrollup.checkpoint.Manifest;
import io.sensorrollup.checkpoint.RestoredCheckpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecoveryLogTest {

    private static final Instant TAKEN = Instant.parse("2026-12-06T10:00:00Z");
    private static final RestoreTimes TIMES = RestoreTimes.of(Duration.ofMillis(300));

    private final AtomicLong now = new AtomicLong(TAKEN.toEpochMilli() + 1_210);
    private final RecoveryLog log = new RecoveryLog("pod-1", now::get);

    @Test
    void aPartitionTakenOverSaysFromWhomFromWhichCheckpointAndHowLongItStoodStill() {
        log.restored(3, Optional.of(restored(57, "pod-0")), TIMES);
        assertEquals(Map.of(3, "running on pod-1 since 2026-12-06T10:00:01.210Z, taken over from pod-0 at its checkpoint 57"
                + " of 2026-12-06T10:00:00Z, 1.2 s before: it stood still for at most that long"), log.running());
    }

    @Test
    void aPartitionHandedOverSaysItStoodStillExactlySinceTheFinalCheckpoint() {
        log.restored(3, Optional.of(new RestoredCheckpoint(new Manifest(3, 58, TAKEN, new byte[] {1}, 0, Optional.empty(),
                List.of(), "pod-0", true), "s3://bucket/partition-3/chk-58", 0, 0, 3, Duration.ofMillis(20))), TIMES);
        assertEquals("running on pod-1 since 2026-12-06T10:00:01.210Z, handed over by pod-0 with its final checkpoint 58"
                + " of 2026-12-06T10:00:00Z, 1.2 s before: it stood still that long", log.running().get(3));
    }

    @Test
    void aPartitionBackOnItsOwnPodOrFromAnUnnamedWriterSaysSo() {
        log.restored(1, Optional.of(restored(9, "pod-1")), TIMES);
        log.restored(2, Optional.of(restored(4, "")), TIMES);
        log.restored(5, Optional.empty(), TIMES);
        assertTrue(log.running().get(1).contains("back from its own checkpoint 9 of"), log.running().get(1));
        assertTrue(log.running().get(2).contains("from checkpoint 4 of 2026-12-06T10:00:00Z (its writer unnamed"), log.running().get(2));
        assertTrue(log.running().get(5).endsWith("from the subscription's position (no checkpoint)"), log.running().get(5));
    }

    @Test
    void aClaimThatLandsWhileThePartitionRunsIsAddedToItsLine() {
        log.restored(3, Optional.of(restored(57, "pod-0")), TIMES);
        log.claimed(3, 58, Duration.ofMillis(340));
        assertTrue(log.running().get(3).endsWith("it stood still for at most that long; claimed as checkpoint 58 in 340 ms,"
                + " while running"), log.running().get(3));
    }

    @Test
    void aPartitionThatLeavesIsNoLongerReported() {
        log.restored(3, Optional.of(restored(57, "pod-0")), TIMES);
        log.dropped(3);
        assertEquals(Map.of(), log.running());
    }

    private static RestoredCheckpoint restored(long id, String owner) {
        Manifest m = new Manifest(3, id, TAKEN, new byte[] {1}, 0, Optional.empty(), List.of(), owner, false);
        return new RestoredCheckpoint(m, "s3://bucket/partition-3/chk-" + id, 0, 0, 3, Duration.ofMillis(20));
    }
}
