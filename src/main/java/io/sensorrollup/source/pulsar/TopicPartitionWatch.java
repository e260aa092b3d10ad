package io.sensorrollup.source.pulsar;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.profile.UnlessBuildProfile;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Watches the topic's partition count while the service runs on it (CONTRACT §6: it is fixed). The consumer
 * does not pick up added partitions ({@link PulsarConsumerSetup}): their readings wait on the broker, since
 * taking them would move devices between partitions and split their open windows. A change is an ERROR in
 * the log (once per count), the gauges {@code rollup_topic_partitions} and {@code rollup_topic_partitions_changed},
 * and the readiness check {@value #CHECK}; the service goes on with the partitions it has, and does not exit,
 * which would only restart it into the same refusal.
 */
@ApplicationScoped
@UnlessBuildProfile("embedded")
class TopicPartitionWatch {

    static final String CHECK = "topic-partitions";
    private static final Logger LOG = Logger.getLogger(TopicPartitionWatch.class);

    private final PulsarTopicAdmin admin;
    private final PulsarSourceConfig config;
    private final Duration interval;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "topic-partition-watch");
        thread.setDaemon(true);
        return thread;
    });
    private volatile int current;
    private volatile int reported;

    TopicPartitionWatch(PulsarTopicAdmin admin, PulsarSourceConfig config, MeterRegistry metrics) {
        this.admin = admin;
        this.config = config;
        this.interval = config.partitionCheckInterval();
        Gauge.builder("rollup.topic.partitions", () -> current > 0 ? current : admin.topicPartitions())
                .description("the topic's partition count at the broker").register(metrics);
        Gauge.builder("rollup.topic.partitions.changed", () -> changed() ? 1 : 0)
                .description("1 when the topic's partition count is no longer the one the service runs on").register(metrics);
    }

    void start(@Observes StartupEvent ignored) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("rollup.source.partition-check-interval must be positive: " + interval);
        }
        timer.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent ignored) {
        timer.shutdownNow();
    }

    void check() {
        try {
            current = admin.partitions();
        } catch (Exception e) {
            LOG.debugf("Reading the partition count of %s failed: %s", config.topic(), e.getMessage());
            return; // the pulsar health check says the broker does not answer
        }
        if (changed() && current != reported) {
            reported = current;
            LOG.error(message());
        }
    }

    private boolean changed() {
        return current > 0 && current != admin.topicPartitions();
    }

    private String message() {
        return "Topic " + config.topic() + " has " + current + " partitions now, the service runs on " + admin.topicPartitions()
                + ": readings in the partitions added are not consumed, and a restart will refuse the new count; see README: Rescaling";
    }

    @Readiness
    HealthCheck ready() {
        return () -> {
            var response = HealthCheckResponse.named(CHECK).withData("topic", config.topic())
                    .withData("service", admin.topicPartitions());
            if (!changed()) {
                return response.up().build();
            }
            return response.down().withData("broker", current).withData("error", message()).build();
        };
    }
}
