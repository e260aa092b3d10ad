package io.sensorrollup.partition;

import io.sensorrollup.partition.SerialExecutor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {

    private final ExecutorService compute = Executors.newFixedThreadPool(2, task -> new Thread(task, "compute"));
    private final ExecutorService io = Executors.newFixedThreadPool(4, task -> new Thread(task, "io"));

    @AfterEach
    void stop() {
        compute.shutdownNow();
        io.shutdownNow();
    }

    @Test
    void tasksOnEitherPoolRunInOrderOneAtATimeEachOnItsPool() throws InterruptedException {
        SerialExecutor serial = new SerialExecutor(compute);
        List<String> ran = new ArrayList<>();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        int tasks = 2_000;
        CountDownLatch done = new CountDownLatch(tasks);
        for (int i = 0; i < tasks; i++) {
            boolean onIo = i % 3 == 0;
            int index = i;
            Runnable task = () -> {
                if (inside.incrementAndGet() != 1) {
                    overlaps.incrementAndGet();
                }
                ran.add(index + ":" + Thread.currentThread().getName());
                inside.decrementAndGet();
                done.countDown();
            };
            if (onIo) {
                serial.execute(task, io);
            } else {
                serial.execute(task);
            }
        }
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(0, overlaps.get());
        for (int i = 0; i < tasks; i++) {
            assertEquals(i + ":" + (i % 3 == 0 ? "io" : "compute"), ran.get(i));
        }
    }

    @Test
    void aTaskSubmittedWhileTheQueueIsIdleStartsOnItsOwnPool() throws InterruptedException {
        SerialExecutor serial = new SerialExecutor(compute);
        CountDownLatch done = new CountDownLatch(1);
        String[] thread = new String[1];
        serial.execute(() -> {
            thread[0] = Thread.currentThread().getName();
            done.countDown();
        }, io);
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertEquals("io", thread[0]);
    }
}
