package io.sensorrollup.source.pulsar;

/** Pulsar names partition {@code p} of topic {@code t} {@code t-partition-p}. */
final class PartitionTopics {

    private static final String SUFFIX = "-partition-";

    private PartitionTopics() {
    }

    static int partitionOf(String topicName) {
        int at = topicName.lastIndexOf(SUFFIX);
        if (at < 0) {
            throw new IllegalArgumentException(topicName + " is not a partition of a partitioned topic");
        }
        return Integer.parseInt(topicName, at + SUFFIX.length(), topicName.length(), 10);
    }

    static String partitionName(String topic, int partition) {
        return topic + SUFFIX + partition;
    }
}
