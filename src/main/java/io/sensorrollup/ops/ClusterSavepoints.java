package io.sensorrollup.ops;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.sensorrollup.checkpoint.Checkpoints;
import io.sensorrollup.checkpoint.Savepoint;
import io.sensorrollup.checkpoint.SavepointRequests;
import io.sensorrollup.checkpoint.runtime.CheckpointConfig;
import io.sensorrollup.partition.PartitionTasks;
import io.sensorrollup.source.pulsar.PulsarTopicAdmin;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.stream.IntStream;
import org.jboss.logging.Logger;

/**
 * Savepoints of the whole topic, whichever pod is asked (CONTRACT §6): the request goes into the checkpoint store
 * ({@link SavepointRequests}); every pod looks for requests every {@code rollup.checkpoint.savepoint-poll} and
 * takes the parts of the partitions it runs; a savepoint is complete when every partition of the topic has its
 * part, and then its request is removed. Periodic savepoints are requests under a name every pod derives from the
 * clock, with their own retention.
 */
@ApplicationScoped
public class ClusterSavepoints {

    /** What a savepoint covers so far. */
    public record Status(String name, List<Integer> partitions, List<Integer> missing, boolean complete) {
    }

    static final String PERIODIC = "periodic-";
    private static final Logger LOG = Logger.getLogger(ClusterSavepoints.class);
    private static final DateTimeFormatter PERIOD_NAME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Checkpoints checkpoints;
    private final SavepointRequests requests;
    private final PartitionTasks partitions;
    private final IntSupplier topicPartitions;
    private final Optional<Duration> periodic;
    private final int periodicRetained;
    private final Clock clock;
    private volatile String lastPeriodic;
    private volatile boolean stopping;

    @Inject
    ClusterSavepoints(Checkpoints checkpoints, PartitionTasks partitions, Instance<PulsarTopicAdmin> topic,
            CheckpointConfig config) {
        // the in-process source of the embedded profile gives this pod every partition
        this(checkpoints, partitions, () -> topic.isResolvable() ? topic.get().topicPartitions() : partitions.heardOf().size(),
                config.periodicSavepoint(), config.periodicSavepointsRetained(), Clock.systemUTC());
    }

    ClusterSavepoints(Checkpoints checkpoints, PartitionTasks partitions, IntSupplier topicPartitions,
            Optional<Duration> periodic, int periodicRetained, Clock clock) {
        this.checkpoints = checkpoints;
        this.requests = new SavepointRequests(checkpoints.store(), clock);
        this.partitions = partitions;
        this.topicPartitions = topicPartitions;
        this.periodic = periodic;
        this.periodicRetained = periodicRetained;
        this.clock = clock;
    }

    /**
     * Requests savepoint {@code name}, takes this pod's parts at once and waits up to {@code wait} for the other
     * pods' parts.
     *
     * @throws IllegalArgumentException a bad name, or a complete savepoint of that name exists
     */
    public Status request(String name, Duration wait) throws IOException, InterruptedException {
        Checkpoints.checkSavepointName(name);
        Status before = status(name);
        if (before.complete()) {
            throw new IllegalArgumentException("savepoint " + name + " exists (DELETE it first to take it again)");
        }
        if (requests.request(name)) {
            LOG.infof("Savepoint %s requested: every pod takes the parts of the partitions it runs", name);
        }
        long deadline = System.nanoTime() + wait.toNanos();
        Status now = takeParts(name);
        while (!now.complete() && System.nanoTime() < deadline) {
            Thread.sleep(500);
            now = takeParts(name);
        }
        return now;
    }

    /** What savepoint {@code name} covers now. */
    public Status status(String name) throws IOException {
        return status(name, checkpoints.savepointPartitions(name));
    }

    /** Every savepoint with parts, and every one requested that has none yet: one listing of the store for all. */
    public List<Status> all() throws IOException {
        Map<String, SortedSet<Integer>> covered = new TreeMap<>();
        requests.pending().forEach(name -> covered.put(name, new TreeSet<>()));
        for (Savepoint savepoint : checkpoints.savepoints()) {
            SortedSet<Integer> parts = covered.computeIfAbsent(savepoint.name(), n -> new TreeSet<>());
            savepoint.manifests().forEach(m -> parts.add(m.partition()));
        }
        List<Status> all = new ArrayList<>();
        covered.forEach((name, parts) -> all.add(status(name, parts)));
        return all;
    }

    private Status status(String name, SortedSet<Integer> covered) {
        List<Integer> missing = IntStream.range(0, topicPartitions.getAsInt()).filter(p -> !covered.contains(p)).boxed().toList();
        return new Status(name, List.copyOf(covered), missing, missing.isEmpty());
    }

    @Scheduled(every = "${rollup.checkpoint.savepoint-poll}", delayed = "${rollup.checkpoint.savepoint-poll}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        if (stopping) {
            return; // the checkpoint store's client may be gone already
        }
        try {
            requestPeriodic();
            for (String name : requests.pending()) {
                takeParts(name);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Looking for requested savepoints failed (the next poll tries again): %s", e.toString());
        }
    }

    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent ignored) {
        stopping = true;
    }

    /** This pod's parts that savepoint {@code name} lacks; removes the request once it is complete. */
    private Status takeParts(String name) throws IOException {
        Status status = status(name);
        if (!status.complete()) {
            partitions.savepoint(name, Set.copyOf(status.missing())).orTimeout(60, TimeUnit.SECONDS)
                    .exceptionally(e -> List.of()).join();
            status = status(name);
        }
        if (status.complete() && requests.pending().contains(name)) {
            requests.completed(name);
            LOG.infof("Savepoint %s is complete: every partition of the topic has its part %s", name, status.partitions());
        }
        return status;
    }

    /** Once per period per pod: one request stands for the period, whichever pod makes it first. */
    private void requestPeriodic() throws IOException {
        if (periodic.isEmpty()) {
            return;
        }
        long every = periodic.get().toMillis();
        String name = PERIODIC + PERIOD_NAME.format(Instant.ofEpochMilli(clock.millis() / every * every));
        if (name.equals(lastPeriodic)) {
            return;
        }
        lastPeriodic = name;
        if (!status(name).complete() && requests.request(name)) {
            LOG.infof("Periodic savepoint %s requested", name);
            List<String> kept = checkpoints.savepoints().stream().map(Savepoint::name)
                    .filter(n -> n.startsWith(PERIODIC)).sorted().toList();
            for (String old : kept.subList(0, Math.max(0, kept.size() - periodicRetained))) {
                checkpoints.deleteSavepoint(old);
            }
        }
    }
}
