package io.sensorrollup.partition;

import io.sensorrollup.checkpoint.Checkpoints;
import io.sensorrollup.checkpoint.FileCheckpointStore;
import io.sensorrollup.partition.TaskEvents;
import io.sensorrollup.partition.TaskContext;
import io.sensorrollup.partition.PartitionTask;
import io.sensorrollup.partition.PartitionTasks;
import io.sensorrollup.source.DeadLetters;
import io.sensorrollup.source.RawBatch;
import io.sensorrollup.source.SequencePositions;
import io.sensorrollup.source.SourceCursor;
import io.sensorrollup.state.EngineConfig;
import io.sensorrollup.state.StateResources;
import io.sensorrollup.window.WindowSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Owned partitions on the real engine and the local file store, with a source whose positions are
 * longs: what the tests of the checkpoint protocol and of the sinks run on. Close it after the test.
 */
public final class TestPartitions implements AutoCloseable {

    /** 2026-01-01T00:00:00Z, the event time of message 0. */
    public static final long EPOCH = 1767225600000L;

    public final Map<Integer, Long> acked = new ConcurrentHashMap<>();
    /** Every acknowledgement that reached the source, in order, as "partition:position". */
    public final List<String> acknowledgements = new CopyOnWriteArrayList<>();
    public final List<String> deadLetters = new CopyOnWriteArrayList<>();
    /** Per partition, the newest message the source holds; a partition not here holds nothing past what was processed. */
    public final Map<Integer, Long> published = new ConcurrentHashMap<>();
    /** Partitions whose dead letters fail to be stored. */
    public final java.util.Set<Integer> deadLettersLost = ConcurrentHashMap.newKeySet();
    public volatile boolean ackLost;
    /** The broker does not answer: whether a partition is caught up cannot be known. */
    public volatile boolean brokerHung;
    /** The partitions the engine fenced, in order; each fence starts the next generation. */
    public final List<Integer> fenced = new CopyOnWriteArrayList<>();
    /** Run inside each fence, after it is recorded: what the source does meanwhile. */
    public volatile Runnable whileFencing = () -> { };
    /** The partitions the engine asked to deliver again, in order. */
    public final List<Integer> redelivered = new CopyOnWriteArrayList<>();
    /** Makes processing fail: the dead-letter sink throws, as a broken state store would. */
    public volatile boolean processingFails;
    /**
     * Positions that open a new segment of the log (a Pulsar ledger): from the positions alone, such a message may
     * follow any earlier one, and only the source can tell whether anything lies between.
     */
    public final java.util.Set<Long> segmentStarts = ConcurrentHashMap.newKeySet();
    /** The partitions' wall clock: set it to make them idle. */
    public final java.util.concurrent.atomic.AtomicLong wallClock = new java.util.concurrent.atomic.AtomicLong(System.currentTimeMillis());

    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final StateResources resources = StateResources.create(8 << 20, 8 << 20);

    public static Checkpoints fileStore(Path dir) {
        return new Checkpoints(new FileCheckpointStore(dir), 3, Duration.ofMinutes(10), Clock.systemUTC());
    }

    public PartitionTasks tasks(Checkpoints store, Path stateDir) {
        return tasks(store, stateDir, () -> {
            throw new AssertionError("state lost");
        });
    }

    public PartitionTasks tasks(Checkpoints store, Path stateDir, Runnable onStateLost) {
        return tasks(store, stateDir, Long.MAX_VALUE, onStateLost);
    }

    public PartitionTasks tasks(Checkpoints store, Path stateDir, long maxOutbox, Runnable onStateLost) {
        return tasks(store, stateDir, maxOutbox, TaskEvents.none(), onStateLost);
    }

    public PartitionTasks tasks(Checkpoints store, Path stateDir, long maxOutbox, TaskEvents events, Runnable onStateLost) {
        var runtime = new TaskContext(EngineConfig.defaults(WindowSpec.parse("1m")), resources, stateDir, store,
                cursor(), deadLetters(), pool, pool, wallClock::get, 4, maxOutbox, events);
        return new PartitionTasks(runtime, onStateLost);
    }

    /**
     * Messages first..last, one per second of event time from {@link #EPOCH}, spread over {@code devices}
     * devices; message 7 is malformed.
     */
    public static RawBatch batch(long first, long last, int devices, long arrivalOffset) {
        RawBatch batch = new RawBatch();
        for (long i = first; i <= last; i++) {
            String line = i == 7 ? "{not json"
                    : "{\"device_id\":\"d" + (i % devices + 1) + "\",\"timestamp\":" + (EPOCH + i * 1000)
                            + ",\"temperature\":" + (i % 20 - 10) + "}";
            batch.add(line.getBytes(StandardCharsets.UTF_8), position(i), 1_000 + arrivalOffset + i);
        }
        return batch;
    }

    /** The message counts of the rows in a partition's outbox, oldest first. */
    public static List<Long> closedCounts(PartitionTask task) {
        return task.withProcessor(p -> p.readOutbox(-1, 100).stream().map(e -> e.row().messageCount()).toList())
                .toCompletableFuture().join();
    }

    public static byte[] position(long i) {
        return SequencePositions.of(i);
    }

    @Override
    public void close() {
        pool.shutdown();
        try {
            // a dropped partition closes its RocksDB on the pool: let it finish before the files go
            pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        resources.close();
    }

    private SourceCursor cursor() {
        return new SourceCursor() {
            @Override
            public CompletionStage<Void> acknowledgeThrough(int partition, byte[] position) {
                if (ackLost) {
                    return CompletableFuture.failedFuture(new IllegalStateException("the process died before acknowledging"));
                }
                acked.put(partition, SequencePositions.sequence(position));
                acknowledgements.add(partition + ":" + SequencePositions.sequence(position));
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletionStage<Boolean> caughtUp(int partition, byte[] position) {
                if (brokerHung) {
                    return CompletableFuture.failedFuture(new java.util.concurrent.TimeoutException("the broker does not answer"));
                }
                Long newest = published.get(partition);
                return CompletableFuture.completedFuture(newest == null
                        || (position != null && SequencePositions.sequence(position) >= newest));
            }

            @Override
            public CompletionStage<java.util.Optional<String>> acknowledgedBeyond(int partition, byte[] position) {
                Long ack = acked.get(partition);
                boolean beyond = ack != null && (position == null || ack > SequencePositions.sequence(position));
                return CompletableFuture.completedFuture(beyond ? java.util.Optional.of(Long.toString(ack)) : java.util.Optional.empty());
            }

            @Override
            public long fence(int partition) {
                fenced.add(partition);
                whileFencing.run();
                return fenced.size();
            }

            @Override
            public void redeliver(int partition) {
                redelivered.add(partition);
            }

            @Override
            public CompletionStage<java.util.Optional<byte[]>> acknowledged(int partition) {
                Long ack = acked.get(partition);
                return CompletableFuture.completedFuture(java.util.Optional.ofNullable(ack).map(SequencePositions::of));
            }

            @Override
            public boolean follows(byte[] previous, byte[] next) {
                long n = SequencePositions.sequence(next);
                long p = SequencePositions.sequence(previous);
                return n == p + 1 || (segmentStarts.contains(n) && n > p);
            }

            @Override
            public CompletionStage<Boolean> nothingBetween(int partition, byte[] previous, byte[] next) {
                return CompletableFuture.completedFuture(SequencePositions.sequence(next) == SequencePositions.sequence(previous) + 1);
            }

            @Override
            public int compare(byte[] a, byte[] b) {
                return SequencePositions.compare(a, b);
            }

            @Override
            public String describe(byte[] position) {
                return Long.toString(SequencePositions.sequence(position));
            }
        };
    }

    private DeadLetters deadLetters() {
        return new DeadLetters() {
            @Override
            public void send(int partition, byte[] payload, int offset, int length, String error, byte[] sourcePosition) {
                if (processingFails) {
                    throw new IllegalStateException("processing failed");
                }
                deadLetters.add(error);
            }

            @Override
            public CompletionStage<Void> flush(int partition) {
                return deadLettersLost.contains(partition)
                        ? CompletableFuture.failedFuture(new IllegalStateException("dead letters of " + partition + " lost"))
                        : CompletableFuture.completedFuture(null);
            }
        };
    }
}
