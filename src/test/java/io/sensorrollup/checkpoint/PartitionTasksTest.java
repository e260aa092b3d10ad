package io.sensorrollup.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorrollup.source.DeadLetters;
import io.sensorrollup.source.RawBatch;
import io.sensorrollup.source.SourceCursor;
import io.sensorrollup.state.EngineConfig;
import io.sensorrollup.state.StateResources;
import io.sensorrollup.window.WindowSpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint protocol of owned partitions, on the local file store: process, checkpoint, acknowledge, restore. */
class PartitionTasksTest {

    @TempDir
    Path tmp;

    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final StateResources resources = StateResources.create(8 << 20, 8 << 20);
    private final Map<Integer, Long> acked = new ConcurrentHashMap<>();
    private volatile boolean ackLost;
    private final List<String> deadLetters = new ArrayList<>();

    @AfterEach
    void close() {
        pool.shutdown();
        resources.close();
    }

    @Test
    void checkpointAcknowledgesOnlyWhatTheManifestCoversAndRestoreSkipsIt() throws Exception {
        Checkpoints store = new Checkpoints(new FileCheckpointStore(tmp.resolve("store")), 3, Duration.ofMinutes(10),
                Clock.systemUTC());
        PartitionTasks first = tasks(store, tmp.resolve("pod-a"));
        first.accept(0, batch(1, 100, 0)).toCompletableFuture().join();
        Optional<CompletedCheckpoint> completed = first.get(0).orElseThrow().checkpoint().toCompletableFuture().join();
        assertTrue(completed.isPresent());
        assertEquals(100L, acked.get(0), "acknowledged through the last message the checkpoint covers");
        assertEquals(List.of("not-json"), deadLetters);

        first.accept(0, batch(101, 150, 0)).toCompletableFuture().join();
        first.dropAll().join(); // a crash: messages 101..150 are not in any checkpoint

        PartitionTasks second = tasks(store, tmp.resolve("pod-b"));
        // Pulsar redelivers from its cursor, which may lag the manifest: 90..150
        second.accept(0, batch(90, 150, 10_000)).toCompletableFuture().join();
        List<Long> closedCounts = second.get(0).orElseThrow()
                .withProcessor(p -> p.readOutbox(-1, 100).stream().map(e -> e.row().messageCount()).toList())
                .toCompletableFuture().join();
        // [0 s, 60 s): 1..59 less the malformed 7; [60 s, 120 s): 60..119, with 90..100 replayed but counted once
        assertEquals(List.of(58L, 60L), closedCounts);
        second.checkpointAll().join();
        assertEquals(150L, acked.get(0));
        second.dropAll().join();
    }

    @Test
    void newOwnerClaimsThePartitionSoThePreviousOwnersLateCheckpointConflictsThere() throws Exception {
        Checkpoints store = new Checkpoints(new FileCheckpointStore(tmp.resolve("store")), 3, Duration.ofMinutes(10),
                Clock.systemUTC());
        java.util.concurrent.atomic.AtomicInteger previousOwnerLost = new java.util.concurrent.atomic.AtomicInteger();
        PartitionTasks previous = tasks(store, tmp.resolve("pod-a"), previousOwnerLost::incrementAndGet);
        previous.accept(0, batch(1, 100, 0)).toCompletableFuture().join();
        previous.get(0).orElseThrow().checkpoint().toCompletableFuture().join();

        // Pulsar moves the partition; the old pod has not heard yet and checkpoints once more
        PartitionTasks next = tasks(store, tmp.resolve("pod-b"));
        next.assigned(0);
        next.get(0).orElseThrow().restored().toCompletableFuture().join();
        previous.accept(0, batch(101, 120, 0)).toCompletableFuture().join();
        var late = previous.get(0).orElseThrow().checkpoint().toCompletableFuture();
        assertTrue(waitFailed(late, CheckpointConflictException.class), "the previous owner's late checkpoint must not commit");
        assertEquals(1, previousOwnerLost.get());
        assertEquals(100L, acked.get(0), "nothing past the claimed checkpoint acknowledged");

        next.accept(0, batch(90, 150, 10_000)).toCompletableFuture().join();
        assertTrue(next.get(0).orElseThrow().checkpoint().toCompletableFuture().join().isPresent());
        assertEquals(150L, acked.get(0));
        next.dropAll().join();
    }

    @Test
    void crashBetweenUploadsAndManifestReplaysFromThePreviousCheckpoint() throws Exception {
        FailingStore failing = new FailingStore(new FileCheckpointStore(tmp.resolve("store")));
        Checkpoints store = new Checkpoints(failing, 3, Duration.ofMinutes(10), Clock.systemUTC());
        PartitionTasks crashed = tasks(store, tmp.resolve("pod-a"));
        crashed.accept(0, batch(1, 100, 0)).toCompletableFuture().join();
        crashed.get(0).orElseThrow().checkpoint().toCompletableFuture().join();
        crashed.accept(0, batch(101, 150, 0)).toCompletableFuture().join();
        failing.failNextPutIfAbsent();
        assertTrue(waitFailed(crashed.get(0).orElseThrow().checkpoint().toCompletableFuture(), java.io.IOException.class));
        crashed.dropAll().join();
        assertEquals(100L, acked.get(0), "an uncommitted checkpoint acknowledges nothing");

        assertRecoveredFrom(store, 101);
    }

    @Test
    void crashBetweenManifestAndAcknowledgementSkipsWhatTheManifestCovers() throws Exception {
        Checkpoints store = new Checkpoints(new FileCheckpointStore(tmp.resolve("store")), 3, Duration.ofMinutes(10),
                Clock.systemUTC());
        PartitionTasks crashed = tasks(store, tmp.resolve("pod-a"));
        crashed.accept(0, batch(1, 100, 0)).toCompletableFuture().join();
        crashed.get(0).orElseThrow().checkpoint().toCompletableFuture().join();
        crashed.accept(0, batch(101, 150, 0)).toCompletableFuture().join();
        ackLost = true;
        crashed.get(0).orElseThrow().checkpoint().toCompletableFuture().exceptionally(e -> Optional.empty()).join();
        crashed.dropAll().join();
        ackLost = false;
        assertEquals(100L, acked.get(0), "the cursor lags the manifest by one acknowledgement");

        assertRecoveredFrom(store, 101);
    }

    /** A new pod restores, Pulsar redelivers from the cursor: windows [0 s, 60 s) and [60 s, 120 s) counted exactly once. */
    private void assertRecoveredFrom(Checkpoints store, long redeliveredFrom) {
        PartitionTasks recovered = tasks(store, tmp.resolve("pod-b"));
        recovered.accept(0, batch(redeliveredFrom, 150, 10_000)).toCompletableFuture().join();
        List<Long> closedCounts = recovered.get(0).orElseThrow()
                .withProcessor(p -> p.readOutbox(-1, 100).stream().map(e -> e.row().messageCount()).toList())
                .toCompletableFuture().join();
        assertEquals(List.of(58L, 60L), closedCounts);
        recovered.get(0).orElseThrow().checkpoint().toCompletableFuture().join();
        assertEquals(150L, acked.get(0));
        recovered.dropAll().join();
    }

    private static boolean waitFailed(CompletableFuture<?> future, Class<? extends Throwable> cause) {
        try {
            future.join();
            return false;
        } catch (java.util.concurrent.CompletionException expected) {
            return cause.isInstance(expected.getCause());
        }
    }

    private PartitionTasks tasks(Checkpoints store, Path stateDir) {
        return tasks(store, stateDir, () -> {
            throw new AssertionError("state lost");
        });
    }

    private PartitionTasks tasks(Checkpoints store, Path stateDir, Runnable onStateLost) {
        var runtime = new PartitionRuntime(EngineConfig.defaults(WindowSpec.parse("1m")), resources, stateDir, store,
                cursor(), deadLetters(), pool, pool, System::currentTimeMillis, 4);
        return new PartitionTasks(runtime, onStateLost);
    }

    /** Messages first..last of one device, one per second of event time; message 7 is malformed. */
    private static RawBatch batch(long first, long last, long arrivalOffset) {
        RawBatch batch = new RawBatch();
        for (long i = first; i <= last; i++) {
            String line = i == 7 ? "{not json"
                    : "{\"device_id\":\"d1\",\"timestamp\":" + (1767225600000L + i * 1000) + ",\"temperature\":" + (i % 20 - 10) + "}";
            batch.add(line.getBytes(StandardCharsets.UTF_8), position(i), 1_000 + arrivalOffset + i);
        }
        return batch;
    }

    private static byte[] position(long i) {
        return ByteBuffer.allocate(8).putLong(i).array();
    }

    private SourceCursor cursor() {
        return new SourceCursor() {
            @Override
            public CompletionStage<Void> acknowledgeThrough(int partition, byte[] position) {
                if (ackLost) {
                    return CompletableFuture.failedFuture(new IllegalStateException("the process died before acknowledging"));
                }
                acked.put(partition, ByteBuffer.wrap(position).getLong());
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public int compare(byte[] a, byte[] b) {
                return Long.compare(ByteBuffer.wrap(a).getLong(), ByteBuffer.wrap(b).getLong());
            }

            @Override
            public String describe(byte[] position) {
                return Long.toString(ByteBuffer.wrap(position).getLong());
            }
        };
    }

    private DeadLetters deadLetters() {
        return new DeadLetters() {
            @Override
            public synchronized void send(byte[] payload, int offset, int length, String error, byte[] sourcePosition) {
                deadLetters.add(error);
            }

            @Override
            public CompletionStage<Void> flush() {
                return CompletableFuture.completedFuture(null);
            }
        };
    }
}
