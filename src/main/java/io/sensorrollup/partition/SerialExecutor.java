package io.sensorrollup.partition;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * Runs its tasks one at a time, in submission order, on shared pools: a partition's thread without a
 * thread per partition. A task normally runs on the default pool; one that mostly waits on the network
 * can name another, so it does not hold a computing thread.
 */
final class SerialExecutor implements Executor {

    private record Task(Runnable body, Executor pool) {
    }

    private final Executor defaultPool;
    private final ArrayDeque<Task> tasks = new ArrayDeque<>();
    private boolean running;

    SerialExecutor(Executor defaultPool) {
        this.defaultPool = defaultPool;
    }

    @Override
    public void execute(Runnable task) {
        execute(task, defaultPool);
    }

    /** Runs {@code task} in its turn, on {@code pool}. */
    synchronized void execute(Runnable task, Executor pool) {
        tasks.add(new Task(task, pool));
        if (!running) {
            running = true;
            pool.execute(() -> drain(pool));
        }
    }

    private void drain(Executor current) {
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null) {
                    running = false;
                    return;
                }
                if (next.pool() != current) {
                    // still running: nobody else starts a drain while it moves over
                    next.pool().execute(() -> drain(next.pool()));
                    return;
                }
                tasks.poll();
            }
            next.body().run();
        }
    }
}
