package io.sensorrollup.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ConcurrentTransfersTest {

    private final ConcurrentTransfers transfers = new ConcurrentTransfers(Executors.newCachedThreadPool());

    @Test
    void aCheckpointsFilesAreInFlightTogether() throws IOException {
        CountDownLatch allStarted = new CountDownLatch(5);
        List<ConcurrentTransfers.Transfer> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            five.add(() -> {
                allStarted.countDown();
                try {
                    // one after another, the first would wait here for the others and time out
                    if (!allStarted.await(10, TimeUnit.SECONDS)) {
                        throw new IOException("the transfers ran one after another");
                    }
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            });
        }
        transfers.runAll(five);
    }

    @Test
    void theFailureOfTheFirstFileInOrderIsThrownOnceEveryTransferHasFinished() {
        CountDownLatch laterFailed = new CountDownLatch(1);
        AtomicBoolean slowFinished = new AtomicBoolean();
        IOException thrown = assertThrows(IOException.class, () -> transfers.runAll(List.of(
                () -> {
                    awaitQuietly(laterFailed);
                    throw new IOException("file 1");
                },
                () -> {
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                    slowFinished.set(true);
                },
                () -> {
                    laterFailed.countDown();
                    throw new IOException("file 3");
                })));
        assertEquals("file 1", thrown.getMessage());
        assertTrue(slowFinished.get(), "a transfer was still running when the failure was reported");
    }

    private static void awaitQuietly(CountDownLatch latch) throws IOException {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }
}
