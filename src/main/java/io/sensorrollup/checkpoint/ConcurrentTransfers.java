package io.sensorrollup.checkpoint;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a checkpoint's file transfers at once rather than one after another: a checkpoint is a handful of small
 * files, and one after another its upload or download takes the sum of their round trips to the store, which is
 * what a hand-over waits for. Returns when every transfer has finished; if any failed, it throws the failure of
 * the first in list order, so the error names the same file a sequential run would have named.
 */
final class ConcurrentTransfers {

    /** An action on one file. */
    interface Transfer {
        void run() throws IOException;
    }

    /** Shared by every partition: a few partitions checkpointing together stay within the HTTP client's pool. */
    static final ConcurrentTransfers SHARED = new ConcurrentTransfers(daemonPool(16));

    private final Executor executor;

    ConcurrentTransfers(Executor executor) {
        this.executor = executor;
    }

    void runAll(List<Transfer> transfers) throws IOException {
        if (transfers.size() <= 1) {
            for (Transfer t : transfers) {
                t.run();
            }
            return;
        }
        List<CompletableFuture<Void>> running = new ArrayList<>(transfers.size());
        for (Transfer t : transfers) {
            running.add(CompletableFuture.runAsync(() -> {
                try {
                    t.run();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, executor));
        }
        try {
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).exceptionally(e -> null).get();
        } catch (InterruptedException e) {
            running.forEach(f -> f.cancel(false));
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while transferring checkpoint files");
        } catch (ExecutionException cannotHappen) {
            throw new IllegalStateException(cannotHappen);
        }
        for (CompletableFuture<Void> f : running) {
            try {
                f.join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof UncheckedIOException io) {
                    throw io.getCause();
                }
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw e;
            }
        }
    }

    private static Executor daemonPool(int threads) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "checkpoint-transfer-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
