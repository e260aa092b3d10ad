package io.sensorrollup.checkpoint;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pods started in parallel from one savepoint take turns; one that died holding the turn gets it back. */
class SavepointRestoreLeaseTest {

    private static final Duration STALE = Duration.ofMinutes(30);

    @TempDir
    Path tmp;

    @Test
    void aSecondPodWaitsUntilTheFirstHasFinished() throws Exception {
        CheckpointStore store = new FileCheckpointStore(Files.createDirectories(tmp.resolve("store")));
        SavepointRestoreLease first = SavepointRestoreLease.await(store, "sp", "pod-0", Clock.systemUTC(), STALE);
        CompletableFuture<SavepointRestoreLease> second = CompletableFuture.supplyAsync(() -> {
            try {
                return SavepointRestoreLease.await(store, "sp", "pod-1", Clock.systemUTC(), STALE);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            second.get(2, TimeUnit.SECONDS);
            throw new AssertionError("pod-1 started from the savepoint while pod-0 was at it");
        } catch (TimeoutException waiting) {
            assertFalse(second.isDone());
        }
        first.close();
        second.get(5, TimeUnit.SECONDS).close();
    }

    @Test
    void aPodRestartedAfterDyingHalfWayTakesItsTurnAgain() throws Exception {
        CheckpointStore store = new FileCheckpointStore(Files.createDirectories(tmp.resolve("store")));
        SavepointRestoreLease.await(store, "sp", "pod-0", Clock.systemUTC(), STALE); // never closed: the pod died
        CompletableFuture<SavepointRestoreLease> again = CompletableFuture.supplyAsync(() -> {
            try {
                return SavepointRestoreLease.await(store, "sp", "pod-0", Clock.systemUTC(), STALE);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        again.get(5, TimeUnit.SECONDS).close();
    }

    @Test
    void aTurnHeldLongerThanAnyRestoreTakesIsTakenOver() throws Exception {
        CheckpointStore store = new FileCheckpointStore(Files.createDirectories(tmp.resolve("store")));
        Clock then = Clock.offset(Clock.systemUTC(), STALE.plusMinutes(1).negated());
        SavepointRestoreLease.await(store, "sp", "pod-0", then, STALE);
        SavepointRestoreLease taken = SavepointRestoreLease.await(store, "sp", "pod-1", Clock.systemUTC(), STALE);
        taken.close();
        assertTrue(store.list("savepoint-restores/").isEmpty(), "closing releases it");
    }
}
