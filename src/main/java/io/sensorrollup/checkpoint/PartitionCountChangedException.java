package io.sensorrollup.checkpoint;

/** The topic has another partition count than the checkpoints were taken with: not something to retry. */
public final class PartitionCountChangedException extends IllegalStateException {

    private final int actual;
    private final int recorded;

    PartitionCountChangedException(String topic, int actual, int recorded, String record) {
        super("Topic " + topic + " has " + actual + " partitions, but the checkpoints at " + record + " were taken with "
                + recorded + " partitions. A device's windows live in the partition its id hashes to, so another"
                + " count would split them: start-up stops. To change the count, drain and rescale as the README"
                + " describes; see README: Rescaling");
        this.actual = actual;
        this.recorded = recorded;
    }

    public int actual() {
        return actual;
    }

    public int recorded() {
        return recorded;
    }
}
