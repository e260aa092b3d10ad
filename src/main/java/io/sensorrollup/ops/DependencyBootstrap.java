package io.sensorrollup.ops;

import io.quarkus.runtime.StartupEvent;
import io.sensorrollup.sink.IncompatibleTableException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Prepares every dependency before the service takes traffic, all at once: they are independent,
 * and after a restart this wait is most of the time to ready. Servers that start beside the
 * service (a Pulsar broker still loading, a pod scheduled before its database) get
 * {@code rollup.startup.dependency-timeout} to answer; then start-up fails with the server's name, when that
 * server is Pulsar. Past the timeout start-up goes on without the checkpoint store (CONTRACT §6), not ready,
 * while {@link CheckpointStoreStartup} keeps trying; and without a sink, ready, while {@link SinkStartup} keeps
 * trying and the closed windows wait in the outboxes.
 */
@ApplicationScoped
class DependencyBootstrap {

    private static final Logger LOG = Logger.getLogger(DependencyBootstrap.class);

    // before the messaging channels start: the consumer must find the partitioned topic, not auto-create a plain one
    void prepare(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent ignored, Dependencies dependencies,
            StartupConfig config, CheckpointStoreStartup checkpointStore, SinkStartup sinks, TrustFiles trust)
            throws InterruptedException {
        trust.check(); // a trust file that cannot be read stops start-up, naming its key
        long deadline = System.nanoTime() + config.dependencyTimeout().toNanos();
        CompletableFuture<Void> storePrepared = checkpointStore.begin();
        List<Dependency> others = dependencies.all().stream().filter(d -> d != checkpointStore.dependency()).toList();
        ExecutorService threads = Executors.newFixedThreadPool(Math.max(1, others.size()), task -> {
            Thread thread = new Thread(task, "dependency-bootstrap");
            thread.setDaemon(true);
            return thread;
        });
        try {
            CompletionService<Void> prepared = new ExecutorCompletionService<>(threads);
            for (Dependency dependency : others) {
                prepared.submit(() -> {
                    try {
                        prepare(dependency, deadline, config.dependencyTimeout());
                    } catch (TimedOut e) {
                        if (!dependencies.isSink(dependency)) {
                            throw e;
                        }
                        LOG.warnf("%s at %s did not answer within rollup.startup.dependency-timeout=%s (%s): start-up goes"
                                + " on without it; its closed windows wait in the outboxes until it answers (a partition"
                                + " holds back at rollup.sink.max-outbox), and its preparation keeps trying",
                                dependency.name(), dependency.endpoint(), config.dependencyTimeout(), Reasons.of(e.getCause()));
                        sinks.continueAfterStartUp(dependency);
                    }
                    return null;
                });
            }
            // the first failure stops start-up, without waiting for the others' retries
            for (int i = 0; i < others.size(); i++) {
                try {
                    prepared.take().get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
                }
            }
        } finally {
            threads.shutdownNow();
        }
        await(checkpointStore, storePrepared, deadline, config.dependencyTimeout());
    }

    private static void await(CheckpointStoreStartup store, CompletableFuture<Void> prepared, long deadline, Duration timeout)
            throws InterruptedException {
        try {
            prepared.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            LOG.warnf("%s at %s did not answer within rollup.startup.dependency-timeout=%s: start-up goes on without it;"
                    + " this pod stays not ready and restores no partition until it answers, and keeps trying",
                    store.dependency().name(), store.dependency().endpoint(), timeout);
            store.continueAfterStartUp();
        } catch (ExecutionException e) {
            LOG.error(e.getCause().getMessage()); // a refused partition count: first in the log, not in a stack trace
            throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
        }
    }

    private static void prepare(Dependency dependency, long deadline, Duration timeout) throws InterruptedException {
        for (long pause = 250; ; pause = Math.min(pause * 2, 5_000)) {
            try {
                dependency.prepare().run();
                LOG.infof("%s prepared at %s", dependency.name(), dependency.endpoint());
                return;
            } catch (InterruptedException e) {
                throw e;
            } catch (IncompatibleTableException e) {
                throw new IllegalStateException("Cannot use " + dependency.name() + " at " + dependency.endpoint() + ": "
                        + e.getMessage(), e);
            } catch (Exception e) {
                if (System.nanoTime() + pause * 1_000_000 > deadline) {
                    throw new TimedOut("Cannot prepare " + dependency.name() + " at " + dependency.endpoint()
                            + " within rollup.startup.dependency-timeout=" + timeout + ": " + Reasons.of(e), e);
                }
                LOG.warnf("%s at %s not ready yet (%s), retrying", dependency.name(), dependency.endpoint(), Reasons.of(e));
                Thread.sleep(pause);
            }
        }
    }

    /** A dependency that did not answer within the start-up's timeout. */
    private static final class TimedOut extends IllegalStateException {
        TimedOut(String message, Exception cause) {
            super(message, cause);
        }
    }
}
