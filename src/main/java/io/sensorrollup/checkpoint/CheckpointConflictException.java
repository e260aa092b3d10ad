package io.sensorrollup.checkpoint;

/**
 * Another writer committed checkpoint n of the partition first (or wrote a checkpoint this writer did not
 * know of): another pod owns the partition. The caller must drop the partition (close its state, do not
 * ack) and never retry with the same state; the other writer's checkpoint is intact.
 */
public final class CheckpointConflictException extends Exception {

    private final int partition;
    private final long checkpointId;

    public CheckpointConflictException(int partition, long checkpointId, String why) {
        super("Checkpoint " + checkpointId + " of partition " + partition + " conflicts: " + why);
        this.partition = partition;
        this.checkpointId = checkpointId;
    }

    public int partition() {
        return partition;
    }

    public long checkpointId() {
        return checkpointId;
    }
}
