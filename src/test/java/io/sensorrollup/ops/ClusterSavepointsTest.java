package io.sensorrollup.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorrollup.checkpoint.Checkpoints;
import io.sensorrollup.checkpoint.Savepoint;
import io.sensorrollup.checkpoint.SavepointRequests;
import io.sensorrollup.partition.PartitionTasks;
import io.sensorrollup.partition.TestPartitions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two pods sharing one checkpoint store, each running two of the topic's four partitions. */
class ClusterSavepointsTest {

    @TempDir
    Path tmp;

    private final TestPartitions partitions = new TestPartitions();
    private Checkpoints store;
    private PartitionTasks podA;
    private PartitionTasks podB;

    @AfterEach
    void close() {
        for (PartitionTasks pod : new PartitionTasks[] {podA, podB}) {
            if (pod != null) {
                pod.dropAll().join();
            }
        }
        partitions.close();
    }

    @Test
    void aSavepointAskedOfOnePodIsCompleteOnlyOnceTheOtherPodTookItsParts() throws Exception {
        start();
        ClusterSavepoints a = savepoints(podA, Optional.empty(), Clock.systemUTC());
        ClusterSavepoints b = savepoints(podB, Optional.empty(), Clock.systemUTC());

        ClusterSavepoints.Status asked = a.request("before-upgrade", Duration.ZERO);
        assertEquals(List.of(0, 1), asked.partitions(), "pod A takes the parts of its own partitions at once");
        assertEquals(List.of(2, 3), asked.missing());
        assertFalse(asked.complete());
        assertEquals(List.of("before-upgrade"), requests().pending(), "the request waits in the store for the other pods");

        b.poll();
        ClusterSavepoints.Status done = a.status("before-upgrade");
        assertTrue(done.complete(), "complete once every partition has its part: " + done);
        assertEquals(List.of(0, 1, 2, 3), done.partitions());
        assertEquals(List.of(), requests().pending(), "a complete savepoint's request is removed");
        assertThrows(IllegalArgumentException.class, () -> b.request("before-upgrade", Duration.ZERO),
                "a complete savepoint of that name exists");
    }

    @Test
    void aPeriodicSavepointIsOneRequestPerPeriodWhicheverPodMakesItAndOnlyTheNewestAreKept() throws Exception {
        start();
        Instant t0 = Instant.parse("2026-12-06T10:15:00Z");
        ClusterSavepoints a = savepoints(podA, Optional.of(Duration.ofHours(1)), Clock.fixed(t0, ZoneOffset.UTC));
        ClusterSavepoints b = savepoints(podB, Optional.of(Duration.ofHours(1)), Clock.fixed(t0, ZoneOffset.UTC));
        a.poll();
        b.poll();
        assertEquals(List.of("periodic-20261206T100000Z"), names());
        assertTrue(a.status("periodic-20261206T100000Z").complete());

        ClusterSavepoints later = savepoints(podA, Optional.of(Duration.ofHours(1)), Clock.fixed(t0.plusSeconds(3600), ZoneOffset.UTC));
        ClusterSavepoints laterB = savepoints(podB, Optional.of(Duration.ofHours(1)), Clock.fixed(t0.plusSeconds(3600), ZoneOffset.UTC));
        later.poll();
        laterB.poll();
        assertTrue(later.status("periodic-20261206T110000Z").complete());
        ClusterSavepoints third = savepoints(podA, Optional.of(Duration.ofHours(1)), Clock.fixed(t0.plusSeconds(7200), ZoneOffset.UTC));
        third.poll();
        assertFalse(names().contains("periodic-20261206T100000Z"), "the oldest beyond the 1 kept is deleted: " + names());
        assertTrue(names().contains("periodic-20261206T110000Z"));
    }

    private void start() {
        store = TestPartitions.fileStore(tmp.resolve("store"));
        podA = partitions.tasks(store, tmp.resolve("pod-a"));
        podB = partitions.tasks(store, tmp.resolve("pod-b"));
        for (int p = 0; p < 4; p++) {
            PartitionTasks pod = p < 2 ? podA : podB;
            pod.accept(p, TestPartitions.batch(1, 50, 1, 0)).toCompletableFuture().join();
            int partition = p;
            await().until(() -> pod.get(partition).orElseThrow().restored().toCompletableFuture().isDone());
        }
    }

    private ClusterSavepoints savepoints(PartitionTasks pod, Optional<Duration> periodic, Clock clock) {
        return new ClusterSavepoints(store, pod, () -> 4, periodic, 1, clock);
    }

    private SavepointRequests requests() {
        return new SavepointRequests(store.store(), Clock.systemUTC());
    }

    private List<String> names() throws Exception {
        return store.savepoints().stream().map(Savepoint::name).toList();
    }
}
