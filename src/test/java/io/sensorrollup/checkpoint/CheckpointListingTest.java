package io.sensorrollup.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pod taking over a partition reads its kept manifests at once, not one round trip after another. */
class CheckpointListingTest {

    private static final int P = 5;

    @TempDir
    Path temp;

    @Test
    void aNewOwnerReadsEveryKeptManifestAtOnce() throws Exception {
        FileCheckpointStore files = new FileCheckpointStore(Files.createDirectories(temp.resolve("store")));
        try (TestDb db = TestDb.open(temp.resolve("db"))) {
            PartitionCheckpointer owner = new Checkpoints(files, 3, Duration.ofMinutes(10), new ManualClock()).partition(P);
            for (int round = 1; round <= 3; round++) {
                owner.checkpoint(db.put(10, "r" + round).flush().checkpoint(temp), ("m" + round).getBytes(StandardCharsets.US_ASCII), round);
            }
        }
        // each manifest read waits until all three are being read: one after another, the first never returns
        CyclicBarrier allThree = new CyclicBarrier(3);
        GatedStore meetingAtTheManifests = new GatedStore(files);
        meetingAtTheManifests.onManifestRead(key -> {
            try {
                allThree.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                throw new IOException("manifests read one after another: " + e, e);
            }
        });
        PartitionCheckpointer next = new Checkpoints(meetingAtTheManifests, 3, Duration.ofMinutes(10), new ManualClock()).partition(P);
        assertEquals(3, next.restore(temp.resolve("restored")).orElseThrow().checkpointId());
    }
}
