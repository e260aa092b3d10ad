package io.sensorrollup.partition;

import io.sensorrollup.checkpoint.CompletedCheckpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The latest checkpoint attempts of each partition this pod ran, newest first, like Flink's checkpoint
 * history: kept in memory, a bounded number per partition.
 */
public final class CheckpointHistory implements TaskEvents {

    public enum Status {
        COMPLETED, FAILED
    }

    /**
     * One attempt. For a failed one only partition, time, duration and error are set.
     *
     * @param bytesUploaded bytes this checkpoint wrote; {@code bytesReused} what it shares with earlier ones
     */
    public record Attempt(int partition, long id, Status status, Instant time, long durationMillis, String location,
            int filesUploaded, long bytesUploaded, int filesReused, long bytesReused, String error) {

        public long size() {
            return bytesUploaded + bytesReused;
        }
    }

    private final int perPartition;
    private final Supplier<Instant> clock;
    private final Map<Integer, Deque<Attempt>> byPartition = new TreeMap<>();

    public CheckpointHistory(int perPartition, Supplier<Instant> clock) {
        this.perPartition = perPartition;
        this.clock = clock;
    }

    @Override
    public void checkpointCompleted(int partition, CompletedCheckpoint c) {
        add(new Attempt(partition, c.checkpointId(), Status.COMPLETED, clock.get(), c.duration().toMillis(), c.location(),
                c.filesUploaded(), c.bytesUploaded(), c.filesReused(), c.bytesReused(), null));
    }

    @Override
    public void checkpointFailed(int partition, Throwable error, Duration took) {
        add(new Attempt(partition, -1, Status.FAILED, clock.get(), took.toMillis(), null, 0, 0, 0, 0, String.valueOf(error)));
    }

    /** Every partition's attempts, newest first within a partition, partitions in order. */
    public synchronized Map<Integer, List<Attempt>> attempts() {
        Map<Integer, List<Attempt>> out = new TreeMap<>();
        byPartition.forEach((p, attempts) -> out.put(p, new ArrayList<>(attempts)));
        return out;
    }

    private synchronized void add(Attempt attempt) {
        Deque<Attempt> attempts = byPartition.computeIfAbsent(attempt.partition(), p -> new ArrayDeque<>());
        attempts.addFirst(attempt);
        while (attempts.size() > perPartition) {
            attempts.removeLast();
        }
    }
}
