package io.sensorrollup.source.pulsar;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.impl.MessageIdImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Dead letters while no broker answers: processing goes on, the partition's flush (its checkpoint) fails. */
class PulsarDeadLettersTest {

    private PulsarClient client;

    @AfterEach
    void close() throws Exception {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void aDeadLetterTheBrokerCannotTakeFailsTheFlushNotTheProcessing() throws Exception {
        PulsarDeadLetters deadLetters = withoutBroker();
        byte[] reading = "{not json".getBytes(StandardCharsets.UTF_8);
        byte[] position = new MessageIdImpl(3, 7, 0).toByteArray();

        // the first rejected reading used to create the producer on the partition's thread, and the failure
        // failed the batch after its state had moved on
        deadLetters.send(0, reading, 0, reading.length, "malformed", position);
        assertThrows(CompletionException.class, () -> deadLetters.flush(0).toCompletableFuture().join());

        deadLetters.send(0, reading, 0, reading.length, "malformed", position);
        assertThrows(CompletionException.class, () -> deadLetters.flush(0).toCompletableFuture().join(),
                "a failed producer is created again, and fails again, on the next letter");
    }

    /** Issue 12 item 8: with one failure flag per pod, partition 1's checkpoint took partition 0's lost letter. */
    @Test
    void aLostDeadLetterFailsTheFlushOfItsOwnPartitionOnly() throws Exception {
        PulsarDeadLetters deadLetters = withoutBroker();
        byte[] reading = "{not json".getBytes(StandardCharsets.UTF_8);
        deadLetters.send(0, reading, 0, reading.length, "malformed", new MessageIdImpl(3, 7, 0).toByteArray());

        assertDoesNotThrow(() -> deadLetters.flush(1).toCompletableFuture().get(5, TimeUnit.SECONDS),
                "partition 1 sent no dead letter: its checkpoint may acknowledge");
        assertThrows(ExecutionException.class, () -> deadLetters.flush(0).toCompletableFuture().get(5, TimeUnit.SECONDS),
                "partition 0's letter is lost: its checkpoint must not acknowledge the reading");
    }

    private PulsarDeadLetters withoutBroker() throws Exception {
        int closedPort;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = free.getLocalPort();
        }
        client = PulsarClient.builder().serviceUrl("pulsar://127.0.0.1:" + closedPort)
                .operationTimeout(1, TimeUnit.SECONDS).connectionTimeout(500, TimeUnit.MILLISECONDS).build();
        return new PulsarDeadLetters(new TestClientService(client, null), "persistent://public/default/r");
    }
}
