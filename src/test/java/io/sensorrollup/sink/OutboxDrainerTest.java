package io.sensorrollup.sink;

import static io.sensorrollup.partition.TestPartitions.batch;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorrollup.checkpoint.Checkpoints;
import io.sensorrollup.partition.PartitionTask;
import io.sensorrollup.partition.PartitionTasks;
import io.sensorrollup.partition.TestPartitions;
import io.sensorrollup.window.WindowRow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox reaches every sink in emission order, leaves it only once all stored it, and holds the source back when full. */
class OutboxDrainerTest {

    private static final DrainPolicy EAGER = new DrainPolicy(1_000, Duration.ZERO, Duration.ofMillis(100), Duration.ofSeconds(1));

    @TempDir
    Path tmp;

    private final TestPartitions partitions = new TestPartitions();
    private final AtomicLong nanos = new AtomicLong();

    private PartitionTasks tasks;

    @AfterEach
    void close() {
        if (tasks != null) {
            }
        partitions.close();
    }

    @Test
    void everySinkGetsEveryRowInEmissionOrderThenTheOutboxIsEmpty() {
        tasks = partitions.tasks(store(), tmp.resolve("pod"));
        tasks.accept(0, batch(1, 600, 5, 0)).toCompletableFuture().join();
        tasks.accept(1, batch(1, 300, 3, 0)).toCompletableFuture().join();
        List<WindowRow> emitted0 = outbox(tasks, 0);
        List<WindowRow> emitted1 = outbox(tasks, 1);
        assertEquals(45, emitted0.size(), "minutes 0..8 of 5 devices closed (watermark 595 s)");
        assertEquals(12, emitted1.size(), "minutes 0..3 of 3 devices closed (watermark 295 s)");

        RecordingSink clickhouse = new RecordingSink("clickhouse");
        RecordingSink postgres = new RecordingSink("postgresql");
        OutboxDrainer drainer = new OutboxDrainer(tasks, List.of(clickhouse, postgres),
                new DrainPolicy(7, Duration.ZERO, Duration.ofMillis(100), Duration.ofSeconds(1)), nanos::get);
        drainUntilEmpty(drainer);

        for (RecordingSink sink : List.of(clickhouse, postgres)) {
            assertEquals(emitted0, sink.rows.stream().filter(emitted0::contains).toList(), sink.name());
            assertEquals(emitted1, sink.rows.stream().filter(emitted1::contains).toList(), sink.name());
            assertEquals(emitted0.size() + emitted1.size(), sink.rows.size(), sink.name() + ": no row twice");
        }
        assertEquals(0, tasks.get(0).orElseThrow().outboxRows());
        assertEquals(List.of(), outbox(tasks, 0));
    }

    @Test
    void aFailedBatchIsRetriedOnlyToTheSinkThatFailedAndNothingLeavesTheOutboxBefore() {
        tasks = partitions.tasks(store(), tmp.resolve("pod"));
        tasks.accept(0, batch(1, 600, 5, 0)).toCompletableFuture().join();
        List<WindowRow> emitted = outbox(tasks, 0);
        RecordingSink healthy = new RecordingSink("clickhouse");
        RecordingSink down = new RecordingSink("postgresql");
        down.failuresLeft.set(3);
        OutboxDrainer drainer = new OutboxDrainer(tasks, List.of(healthy, down), EAGER, nanos::get);

        drainer.poll();
        await().until(() -> down.writes.get() == 1);
        assertEquals(emitted, outbox(tasks, 0), "nothing confirmed while one sink failed");
        for (int attempt = 2; attempt <= 3; attempt++) {
            drainer.poll();
            assertEquals(attempt - 1, down.writes.get(), "no retry before its pause");
            nanos.addAndGet(Duration.ofSeconds(1).toNanos());
            drainer.poll();
            int expected = attempt;
            await().until(() -> {
                drainer.poll();
                return down.writes.get() == expected;
            });
        }
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        drainUntilEmpty(drainer);

        assertEquals(emitted, healthy.rows, "the healthy sink stored the batch once");
        assertEquals(1, healthy.writes.get());
        assertEquals(emitted, down.rows);
    }

    /** dev/chaos seed 8138: start-up goes on without a store that is down; its rows wait, then reach it once. */
    @Test
    void aStoreStartUpCouldNotPrepareGetsNoRowUntilItIsPreparedAndThenEachOnce() {
        tasks = partitions.tasks(store(), tmp.resolve("pod"));
        tasks.accept(0, batch(1, 600, 5, 0)).toCompletableFuture().join();
        List<WindowRow> emitted = outbox(tasks, 0);
        RecordingSink clickhouse = new RecordingSink("clickhouse");
        RecordingSink postgres = new RecordingSink("postgresql");
        AtomicBoolean prepared = new AtomicBoolean();
        RefusedRows refused = new RefusedRows();
        OutboxDrainer drainer = new OutboxDrainer(tasks, List.of(clickhouse, new PreparedRowSink(postgres, prepared::get)),
                EAGER, nanos::get, refused);

        for (int i = 0; i < 5; i++) {
            drainer.poll();
            nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        }
        await().until(() -> {
            drainer.poll();
            return clickhouse.rows.size() == emitted.size();
        });
        assertEquals(0, postgres.writes.get(), "nothing sent to a store whose table is not prepared");
        assertEquals(emitted, outbox(tasks, 0), "the rows wait in the outbox");
        assertEquals(0, refused.count("postgresql"), "waiting for preparation is an outage, not a refusal");

        prepared.set(true);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        drainUntilEmpty(drainer);
        assertEquals(emitted, postgres.rows, "every row once, in emission order");
        assertEquals(emitted, clickhouse.rows, "the other store got each row once");
    }

    /** Issue 12 item 3: a row one store refuses for its content stops neither the rows after it nor the other store. */
    @Test
    void aRowRefusedForItsContentStaysInTheOutboxWhileTheRowsAfterItAreWritten() {
        tasks = partitions.tasks(store(), tmp.resolve("pod"));
        tasks.accept(0, batch(1, 600, 5, 0)).toCompletableFuture().join();
        List<WindowRow> emitted = outbox(tasks, 0);
        WindowRow bad = emitted.get(9);
        RecordingSink clickhouse = new RecordingSink("clickhouse");
        RecordingSink postgres = new RecordingSink("postgresql");
        postgres.refuses = bad::equals;
        RefusedRows refused = new RefusedRows();
        OutboxDrainer drainer = new OutboxDrainer(tasks, List.of(clickhouse, postgres),
                new DrainPolicy(7, Duration.ZERO, Duration.ofMillis(100), Duration.ofSeconds(1)), nanos::get, refused);

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            drainer.poll();
            return clickhouse.rows.size() == emitted.size() && postgres.rows.size() == emitted.size() - 1;
        });
        assertEquals(emitted, clickhouse.rows, "the other store got every row once");
        assertEquals(emitted.stream().filter(r -> !r.equals(bad)).toList(), postgres.rows, "every row but the refused one");
        await().until(() -> {
            drainer.poll();
            return outbox(tasks, 0).equals(emitted.subList(9, emitted.size()));
        });
        assertFalse(drainer.drained(), "the refused row is still pending");
        assertEquals(1, refused.count("postgresql"));
        assertEquals(0, refused.count("clickhouse"));
        Refusal reported = refused.oldest("postgresql").orElseThrow();
        assertEquals(List.of(bad.deviceId(), bad.windowSizeSeconds(), bad.windowStart(), bad.version(), 0),
                List.of(reported.deviceId(), reported.windowSizeSeconds(), reported.windowStart(), reported.version(),
                        reported.partition()));
        assertTrue(reported.message().contains("invalid byte sequence in " + bad.deviceId()), reported.message());
        int writes = postgres.writes.get();
        for (int i = 0; i < 5; i++) {
            drainer.poll();
        }
        assertEquals(writes, postgres.writes.get(), "no retry before its pause");

        postgres.refuses = row -> false; // the operator fixed the table
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        drainUntilEmpty(drainer);
        assertEquals(bad, postgres.rows.get(postgres.rows.size() - 1), "retried until stored");
        assertEquals(0, refused.count("postgresql"));
        assertEquals(emitted.size(), postgres.rows.size());
        assertEquals(List.of(), outbox(tasks, 0));
    }

    @Test
    void aPartitionThatMovesAwayTakesItsRefusedRowsWithIt() {
        tasks = partitions.tasks(store(), tmp.resolve("pod"));
        tasks.accept(0, batch(1, 600, 5, 0)).toCompletableFuture().join();
        RecordingSink postgres = new RecordingSink("postgresql");
        postgres.refuses = row -> row.deviceId().equals("d1");
        RefusedRows refused = new RefusedRows();
        OutboxDrainer drainer = new OutboxDrainer(tasks, List.of(postgres), EAGER, nanos::get, refused);
        await().until(() -> {
            drainer.poll();
            return refused.count("postgresql") == 9;
        });
        assertEquals(36, postgres.rows.size(), "minutes 0..8 of the 4 other devices");
        tasks.revoked(0);
        await().until(() -> {
            drainer.poll();
            return refused.count("postgresql") == 0;
        });
        tasks = null;
    }

    @Test
    void rowsWaitForAFullBatchOrForMaxDelay() {
        tasks = partitions.tasks(store(), tmp.resolve("pod"));
        tasks.accept(0, batch(1, 300, 3, 0)).toCompletableFuture().join();
        await().until(() -> tasks.get(0).orElseThrow().outboxRows() == 12);
        RecordingSink sink = new RecordingSink("clickhouse");
        OutboxDrainer drainer = new OutboxDrainer(tasks, List.of(sink),
                new DrainPolicy(100, Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofSeconds(1)), nanos::get);

        drainer.poll();
        nanos.addAndGet(Duration.ofMillis(1_900).toNanos());
        drainer.poll();
        assertEquals(0, sink.writes.get(), "12 rows < batch size 100, waited 1.9 s < 2 s");
        nanos.addAndGet(Duration.ofMillis(100).toNanos());
        drainUntilEmpty(drainer);
        assertEquals(1, sink.writes.get());
        assertEquals(12, sink.rows.size());
    }

    @Test
    void aFullOutboxHoldsTheSourceBackUntilTheSinkMadeRoom() {
        tasks = partitions.tasks(store(), tmp.resolve("pod"), 10, () -> {
            throw new AssertionError("state lost");
        });
        tasks.accept(0, batch(1, 300, 3, 0)).toCompletableFuture().join();
        PartitionTask task = tasks.get(0).orElseThrow();
        await().until(() -> task.outboxRows() == 12);

        CompletableFuture<Void> next = tasks.accept(0, batch(301, 310, 3, 0)).toCompletableFuture();
        assertFalse(next.isDone(), "12 rows > max-outbox 10: the source waits");
        RecordingSink sink = new RecordingSink("clickhouse");
        sink.failuresLeft.set(1);
        OutboxDrainer drainer = new OutboxDrainer(tasks, List.of(sink), EAGER, nanos::get);
        drainer.poll();
        await().until(() -> sink.writes.get() == 1);
        assertFalse(next.isDone(), "still waiting while the sink is down");

        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        drainUntilEmpty(drainer);
        await().until(next::isDone);
        assertTrue(tasks.accept(0, batch(311, 320, 3, 0)).toCompletableFuture().isDone(), "room again: no wait");
    }

    @Test
    void droppingAPartitionReleasesASourceWaitingOnItsOutbox() {
        tasks = partitions.tasks(store(), tmp.resolve("pod"), 10, () -> {
        });
        tasks.accept(0, batch(1, 300, 3, 0)).toCompletableFuture().join();
        await().until(() -> tasks.get(0).orElseThrow().outboxRows() == 12);
        CompletableFuture<Void> waiting = tasks.accept(0, batch(301, 310, 3, 0)).toCompletableFuture();
        assertFalse(waiting.isDone());
        tasks.revoked(0);
        await().until(waiting::isDone);
        tasks = null;
    }

    private Checkpoints store() {
        return TestPartitions.fileStore(tmp.resolve("store"));
    }

    private static List<WindowRow> outbox(PartitionTasks tasks, int partition) {
        return tasks.get(partition).orElseThrow()
                .withProcessor(p -> p.readOutbox(-1, 10_000).stream().map(e -> e.row()).toList())
                .toCompletableFuture().join();
    }

    private static void drainUntilEmpty(OutboxDrainer drainer) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            drainer.poll();
            return drainer.drained();
        });
    }
}
