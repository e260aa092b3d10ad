package io.sensorrollup.source.pulsar;

import io.quarkus.arc.profile.UnlessBuildProfile;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.pulsar.PulsarClientService;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.PulsarClient;
import org.jboss.logging.Logger;

/**
 * Lets go of the readings subscription as soon as the final checkpoint is done (SIGTERM): the broker moves a
 * partition only when its consumer disconnects, and the connector would close it only after every other
 * shutdown step, the sinks' last flush among them, so the partitions would stand still for as long as those take.
 *
 * <p>It closes the channel's client rather than its consumer: the connector ends the stream quietly when its
 * client is closed, and reports a failed channel when only the consumer is. Closing flushes the acknowledgements
 * the final checkpoint made. Nothing uses the client after that checkpoint: the partitions take no more batches,
 * and so send no more dead letters.
 */
@ApplicationScoped
@UnlessBuildProfile("embedded")
class ReadingsRelease {

    private static final Logger LOG = Logger.getLogger(ReadingsRelease.class);
    private static final int CLOSE_SECONDS = 5;

    private final PulsarClientService clients;

    ReadingsRelease(PulsarClientService clients) {
        this.clients = clients;
    }

    // right after the final checkpoint, whose observer has priority PLATFORM_BEFORE (CheckpointScheduler)
    void release(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 1) ShutdownEvent ignored) {
        PulsarClient client = clients.getClient(PulsarReadingsChannel.CHANNEL);
        if (client == null) {
            return;
        }
        long started = System.nanoTime();
        try {
            client.closeAsync().get(CLOSE_SECONDS, TimeUnit.SECONDS);
            LOG.infof("Released the readings subscription after the final checkpoint (closed in %d ms): the broker"
                    + " moves its partitions to the other consumers now", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("The readings client did not close within %d s (%s); the broker moves the partitions when the"
                    + " connection drops", CLOSE_SECONDS, e.toString());
        }
    }
}
