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

    /**
     * Seen in CI (ChaosIT seed 1, a broker stopped and then restarted): a letter's send timed out, and its retries on
     * the same producer never got stored, so the partition's checkpoints failed for the rest of the run. A producer
     * whose send failed is replaced for the retry.
     */
    @Test
    void aLetterThatTimedOutIsSentAgainByANewProducer() throws Exception {
        java.util.List<Boolean> producers = new java.util.concurrent.CopyOnWriteArrayList<>();
        PulsarClient stuckFirst = proxy(PulsarClient.class, (method, args) -> {
            if (!method.getName().equals("newProducer")) {
                throw new UnsupportedOperationException(method.getName());
            }
            boolean sendsTimeOut = producers.isEmpty();
            producers.add(sendsTimeOut);
            return producerBuilder(sendsTimeOut);
        });
        PulsarDeadLetters deadLetters = new PulsarDeadLetters(new TestClientService(stuckFirst, null), "persistent://public/default/r");
        byte[] reading = "{not json".getBytes(StandardCharsets.UTF_8);
        deadLetters.send(0, reading, 0, reading.length, "malformed", new MessageIdImpl(3, 7, 0).toByteArray());

        assertThrows(CompletionException.class, () -> deadLetters.flush(0).toCompletableFuture().join());
        assertDoesNotThrow(() -> deadLetters.flush(0).toCompletableFuture().get(5, TimeUnit.SECONDS),
                "the retry is stored, so the partition's next checkpoint goes through");
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(true, false), producers);
    }

    /** A builder of a producer that is created at once and whose sends all time out, or are all stored. */
    private static Object producerBuilder(boolean sendsTimeOut) {
        Object message = proxy(org.apache.pulsar.client.api.TypedMessageBuilder.class, (method, args) -> switch (method.getName()) {
            case "sendAsync" -> sendsTimeOut
                    ? java.util.concurrent.CompletableFuture.failedFuture(new org.apache.pulsar.client.api.PulsarClientException
                            .TimeoutException("the producer can not send message to the topic within given timeout"))
                    : java.util.concurrent.CompletableFuture.completedFuture(new MessageIdImpl(9, 1, 0));
            case "value", "property" -> null; // replaced by the proxy itself below
            default -> throw new UnsupportedOperationException(method.getName());
        });
        Object producer = proxy(org.apache.pulsar.client.api.Producer.class, (method, args) -> switch (method.getName()) {
            case "newMessage" -> message;
            case "closeAsync" -> java.util.concurrent.CompletableFuture.completedFuture(null);
            default -> throw new UnsupportedOperationException(method.getName());
        });
        return proxy(org.apache.pulsar.client.api.ProducerBuilder.class, (method, args) -> method.getName().equals("createAsync")
                ? java.util.concurrent.CompletableFuture.completedFuture(producer) : null);
    }

    /** A proxy of {@code type} answering with {@code answer}, or with itself where {@code answer} gives null (a builder). */
    private static <T> T proxy(Class<T> type, Answer answer) {
        Object[] self = new Object[1];
        self[0] = java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
            Object result = answer.apply(method, args);
            return result == null && method.getReturnType().isInstance(self[0]) ? self[0] : result;
        });
        return type.cast(self[0]);
    }

    private interface Answer {
        Object apply(java.lang.reflect.Method method, Object[] args) throws Exception;
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
