package io.sensorrollup.source.pulsar;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.sensorrollup.it.ChaosServers;
import io.sensorrollup.it.LocalServersResource;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.SizeUnit;
import org.apache.pulsar.client.impl.MessageIdImpl;
import org.junit.jupiter.api.Test;

/**
 * Dead letters while the broker hangs: their sends must neither block the partition's thread nor the client's own
 * threads when the client's memory for pending messages is full. Blocked there (blockIfQueueFull), a send waited
 * for memory that only the client's threads could free (dev/chaos, seed 8106: a checkpoint waiting on such a flush
 * never finished, and the partition handed back behind it stayed restoring).
 */
class PulsarDeadLettersIT {

    @Test
    void sendsWhileTheBrokerHangsFailTheFlushAndNeverBlock() throws Exception {
        String service = LocalServersResource.servers().env().get("PULSAR_SERVICE_URL");
        try (PulsarClient client = PulsarClient.builder().serviceUrl(service).memoryLimit(1, SizeUnit.MEGA_BYTES)
                .operationTimeout(3, TimeUnit.SECONDS).build()) {
            PulsarDeadLetters deadLetters = new PulsarDeadLetters(new TestClientService(client, null),
                    "persistent://public/default/dead-letters-it-" + UUID.randomUUID().toString().substring(0, 8));
            byte[] reading = new byte[400 * 1024];
            byte[] position = new MessageIdImpl(3, 7, 0).toByteArray();
            deadLetters.send(0, reading, 0, reading.length, "too-large", position);
            deadLetters.flush(0).toCompletableFuture().get(30, TimeUnit.SECONDS); // the producer exists

            ChaosServers.services("pause", "pulsar");
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                    for (int i = 0; i < 6; i++) { // 2.4 MB pending, the client holds 1 MB
                        deadLetters.send(0, reading, 0, reading.length, "too-large", position);
                    }
                }, "a send waits for nothing");
                assertThrows(CompletionException.class, () -> deadLetters.flush(0).toCompletableFuture().join(),
                        "the partition's checkpoint fails, so its source messages stay unacknowledged");
            } finally {
                ChaosServers.services("resume", "pulsar");
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (true) { // what failed is sent again on each flush until it is stored
                try {
                    deadLetters.flush(0).toCompletableFuture().get(30, TimeUnit.SECONDS);
                    break;
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException stillFailing) {
                    if (System.nanoTime() > deadline) {
                        throw stillFailing;
                    }
                    Thread.sleep(500);
                }
            }
        }
    }
}
