package io.sensorrollup.source.pulsar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The broker's partitioned-stats, as Pulsar 4 writes them, read per partition for the service's subscription. */
class SubscriptionStatsTest {

    private static final String STATS = """
            {"msgBacklog": 9, "partitions": {
              "persistent://public/default/readings-partition-1": {"subscriptions": {
                "sensor-rollup": {"type": "Failover", "msgBacklog": 7, "activeConsumerName": "pod-b",
                                  "consumers": [{"consumerName": "pod-a"}, {"consumerName": "pod-b"}]},
                "other": {"msgBacklog": 1000, "activeConsumerName": "someone-else", "consumers": []}}},
              "persistent://public/default/readings-partition-0": {"subscriptions": {
                "sensor-rollup": {"type": "Failover", "msgBacklog": 2, "consumers": []}}},
              "persistent://public/default/readings-partition-10": {"subscriptions": {}}
            }}""";

    @Test
    void eachPartitionHasItsActiveConsumerConnectedConsumersAndBacklog() throws Exception {
        Map<Integer, SubscriptionStats.PartitionSubscription> read =
                SubscriptionStats.parse(new ObjectMapper().readTree(STATS), "sensor-rollup");

        assertEquals(List.of(0, 1, 10), List.copyOf(read.keySet()));
        assertEquals(new SubscriptionStats.PartitionSubscription(1, "pod-b", List.of("pod-a", "pod-b"), 7), read.get(1));
        // no consumer connected: nobody owns it
        assertEquals(new SubscriptionStats.PartitionSubscription(0, null, List.of(), 2), read.get(0));
        // the subscription does not exist on that partition yet
        assertEquals(new SubscriptionStats.PartitionSubscription(10, null, List.of(), 0), read.get(10));
    }
}
