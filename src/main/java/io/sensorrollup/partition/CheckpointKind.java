package io.sensorrollup.partition;

import java.util.Optional;

/**
 * Which checkpoint a task takes: a periodic one, a savepoint's part (kept until deleted), or the hand-over, the
 * last one of a pod that stops gracefully and commits nothing after it.
 */
record CheckpointKind(Optional<String> savepoint, boolean handOver) {

    static final CheckpointKind PERIODIC = new CheckpointKind(Optional.empty(), false);
    static final CheckpointKind HAND_OVER = new CheckpointKind(Optional.empty(), true);

    static CheckpointKind savepoint(String name) {
        return new CheckpointKind(Optional.of(name), false);
    }
}
