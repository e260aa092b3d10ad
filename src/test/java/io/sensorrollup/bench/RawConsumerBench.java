package io.sensorrollup.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.BatchReceivePolicy;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Messages;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;
import org.apache.pulsar.client.api.SubscriptionType;

/**
 * The baseline of {@code dev/bench drain}: a plain Pulsar consumer with the service's consumer settings
 * (Failover, batch receive of 2 000, receiver queue 2 000) that only counts and acknowledges: cumulatively,
 * each partition's last message of every batch, as cheap as acknowledging gets (the service acknowledges
 * cumulatively too, once per checkpoint), so the baseline does not lose time acknowledging one by one. Prints
 * {@code RESULT raw messages=N seconds=S per_s=R cpu_s=C broker_cpu_s=B}: from the moment it has taken the first
 * {@code warm-up} messages (its code compiled, like the service's) to the last, its own CPU time and the broker's
 * (from /proc), and of that its JIT compiler threads'. Args: service URL, topic, expected messages, subscription,
 * the broker's pid, warm-up messages.
 */
public final class RawConsumerBench {

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String topic = args[1];
        long expected = Long.parseLong(args[2]);
        String subscription = args.length > 3 ? args[3] : "raw-baseline";
        long brokerPid = args.length > 4 ? Long.parseLong(args[4]) : -1;
        long warmUp = args.length > 5 ? Long.parseLong(args[5]) : 0;
        try (PulsarClient client = PulsarClient.builder().serviceUrl(url).build();
                Consumer<byte[]> consumer = client.newConsumer().topic(topic).subscriptionName(subscription)
                        .subscriptionType(SubscriptionType.Failover)
                        .subscriptionInitialPosition(SubscriptionInitialPosition.Earliest).receiverQueueSize(2_000)
                        .batchReceivePolicy(BatchReceivePolicy.builder().maxNumMessages(2_000).timeout(50, TimeUnit.MILLISECONDS).build())
                        .subscribe()) {
            long count = 0;
            long start = 0;
            long counted = 0;
            double cpuAtStart = 0;
            double jitAtStart = 0;
            double brokerAtStart = 0;
            long last = System.nanoTime();
            while (count < expected && System.nanoTime() - last < TimeUnit.SECONDS.toNanos(20)) {
                Messages<byte[]> batch = consumer.batchReceive();
                if (batch.size() == 0) {
                    continue;
                }
                if (start == 0 && count >= warmUp) {
                    start = System.nanoTime();
                    counted = count;
                    cpuAtStart = ProcessCpu.seconds(ProcessHandle.current().pid());
                    jitAtStart = ProcessCpu.jitSeconds(ProcessHandle.current().pid());
                    brokerAtStart = brokerPid > 0 ? ProcessCpu.seconds(brokerPid) : 0;
                }
                count += batch.size();
                Map<String, MessageId> lastPerPartition = new HashMap<>();
                for (Message<byte[]> message : batch) {
                    lastPerPartition.put(message.getTopicName(), message.getMessageId());
                }
                for (MessageId through : lastPerPartition.values()) {
                    consumer.acknowledgeCumulativeAsync(through);
                }
                last = System.nanoTime();
            }
            double seconds = (last - start) / 1e9;
            double cpu = ProcessCpu.seconds(ProcessHandle.current().pid()) - cpuAtStart;
            double jit = ProcessCpu.jitSeconds(ProcessHandle.current().pid()) - jitAtStart;
            double broker = brokerPid > 0 ? ProcessCpu.seconds(brokerPid) - brokerAtStart : 0;
            System.out.printf(java.util.Locale.ROOT, "RESULT raw messages=%d seconds=%.2f per_s=%.0f cpu_s=%.2f broker_cpu_s=%.2f jit_cpu_s=%.2f%n",
                    count - counted, seconds, (count - counted) / seconds, cpu, broker, jit);
        }
    }
}
