package io.sensorrollup.partition.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.sensorrollup.checkpoint.CompletedCheckpoint;
import io.sensorrollup.checkpoint.Manifest;
import io.sensorrollup.checkpoint.RestoredCheckpoint;
import io.sensorrollup.partition.RestoreTimes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The checkpoint time the staleness alert (k8s/monitoring) reads, as Prometheus scrapes it. */
class TaskMetricsTest {

    private static final String GAUGE = "rollup_checkpoint_last_completed_timestamp_seconds{partition=\"3\",}";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final TaskMetrics metrics = new TaskMetrics(registry);

    @Test
    void theLastCompletedCheckpointsTimeIsExportedInSecondsSinceTheEpoch() {
        metrics.checkpointFailed(3, new RuntimeException("store down"), Duration.ZERO);
        assertTrue(Double.isNaN(scraped()), "no checkpoint yet: no time");

        metrics.checkpointCompleted(3, completed(12, Instant.parse("2025-06-01T10:15:30.250Z")));
        assertEquals(1_748_772_930.25, scraped(), 1e-6);
        metrics.checkpointCompleted(3, completed(13, Instant.parse("2025-06-01T10:16:00Z")));
        assertEquals(1_748_772_960.0, scraped(), 1e-6);
    }

    @Test
    void aRestoredCheckpointIsTheLastCompletedOneUntilTheNextCompletes() {
        Manifest restored = manifest(12, Instant.parse("2025-06-01T09:00:00Z"));
        metrics.restored(3, Optional.of(new RestoredCheckpoint(restored, "file:/chk-12", 1, 10, 0, Duration.ZERO)),
                new RestoreTimes(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO));
        assertEquals(1_748_768_400.0, scraped(), 1e-6);
    }

    private double scraped() {
        String line = registry.scrape().lines().filter(l -> l.startsWith(GAUGE)).findFirst()
                .orElseThrow(() -> new AssertionError(GAUGE + " not exported:\n" + registry.scrape()));
        return Double.parseDouble(line.substring(GAUGE.length()).trim());
    }

    private static CompletedCheckpoint completed(long id, Instant taken) {
        return new CompletedCheckpoint(manifest(id, taken), "file:/chk-" + id, 1, 10, 0, 0, 0, Duration.ofMillis(5));
    }

    private static Manifest manifest(long id, Instant taken) {
        return new Manifest(3, id, taken, new byte[0], Long.MIN_VALUE, Optional.empty(), List.of(), "pod-0", false);
    }
}
