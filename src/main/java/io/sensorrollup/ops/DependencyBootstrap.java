package io.sensorrollup.ops;

import io.quarkus.runtime.StartupEvent;
import io.sensorrollup.sink.IncompatibleTableException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Prepares every dependency before the service takes traffic. Servers that start beside the
 * service (a Pulsar broker still loading, a pod scheduled before its database) get
 * {@code rollup.startup.dependency-timeout} to answer; then start-up fails with the server's name.
 */
@ApplicationScoped
class DependencyBootstrap {

    private static final Logger LOG = Logger.getLogger(DependencyBootstrap.class);

    // before the messaging channels start: the consumer must find the partitioned topic, not auto-create a plain one
    void prepare(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent ignored, Dependencies dependencies,
            StartupConfig config) throws InterruptedException {
        Duration timeout = config.dependencyTimeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Dependency dependency : dependencies.all()) {
            for (long pause = 250; ; pause = Math.min(pause * 2, 5_000)) {
                try {
                    dependency.prepare().run();
                    LOG.infof("%s prepared at %s", dependency.name(), dependency.endpoint());
                    break;
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
}
