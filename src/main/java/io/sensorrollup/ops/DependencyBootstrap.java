package io.sensorrollup.ops;

import io.quarkus.runtime.StartupEvent;
import io.sensorrollup.sink.IncompatibleTableException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Prepares every dependency before the service takes traffic, all at once: they are independent,
 * and after a restart this wait is most of the time to ready. Servers that start beside the
 * service (a Pulsar broker still loading, a pod scheduled before its database) get
 * {@code rollup.startup.dependency-timeout} to answer; then start-up fails with the server's name.
 */
@ApplicationScoped
class DependencyBootstrap {

    private static final Logger LOG = Logger.getLogger(DependencyBootstrap.class);

    // before the messaging channels start: the consumer must find the partitioned topic, not auto-create a plain one
    void prepare(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent ignored, Dependencies dependencies,
            StartupConfig config) throws InterruptedException {
        long deadline = System.nanoTime() + config.dependencyTimeout().toNanos();
        ExecutorService threads = Executors.newFixedThreadPool(dependencies.all().size(), task -> {
            Thread thread = new Thread(task, "dependency-bootstrap");
            thread.setDaemon(true);
            return thread;
        });
        try {
            CompletionService<Void> prepared = new ExecutorCompletionService<>(threads);
            for (Dependency dependency : dependencies.all()) {
                prepared.submit(() -> {
                    prepare(dependency, deadline, config.dependencyTimeout());
                    return null;
                });
            }
            // the first failure stops start-up, without waiting for the others' retries
            for (int i = 0; i < dependencies.all().size(); i++) {
                try {
                    prepared.take().get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
                }
            }
        } finally {
            threads.shutdownNow();
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
                    throw new IllegalStateException("Cannot prepare " + dependency.name() + " at " + dependency.endpoint()
                            + " within rollup.startup.dependency-timeout=" + timeout + ": " + e, e);
                }
                LOG.warnf("%s at %s not ready yet (%s), retrying", dependency.name(), dependency.endpoint(), e.getMessage());
                Thread.sleep(pause);
            }
        }
    }
}
