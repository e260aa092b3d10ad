package io.sensorrollup.source.simulator;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sensorrollup.source.DeadLetters;
import io.sensorrollup.source.PartitionHandler;
import io.sensorrollup.source.RawBatch;
import io.sensorrollup.source.SequencePositions;
import io.sensorrollup.source.SourceCursor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The {@code embedded} profile's source: the simulated fleet in-process instead of Pulsar, so the service
 * runs with no server at all. Readings are spread over {@code rollup.source.partitions} by device, every
 * 100 ms a batch per partition; positions are wall-clock based sequence numbers, so they keep growing
 * across restarts (dev mode's live reload restores the file checkpoints and must not skip new readings).
 * Rejected readings go to the log.
 */
@ApplicationScoped
@IfBuildProfile("embedded")
public class SimulatedSource implements SourceCursor, DeadLetters {

    private static final Logger LOG = Logger.getLogger(SimulatedSource.class);
    private static final long TICK_MILLIS = 100;

    private final PartitionHandler partitions;
    private final SimulatorConfig config;
    private final int partitionCount;
    private final SimulatedFleet fleet;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "simulated-source");
        t.setDaemon(true);
        return t;
    });
    private long sequence;
    private double owed;

    SimulatedSource(PartitionHandler partitions, SimulatorConfig config,
            @ConfigProperty(name = "rollup.source.partitions") int partitionCount) {
        this.partitions = partitions;
        this.config = config;
        this.partitionCount = partitionCount;
        this.fleet = new SimulatedFleet(new SimulatedFleet.Options(config.devices(), System.nanoTime(), 0, 0, 0, 0));
        this.sequence = System.currentTimeMillis() * 1_000;
    }

    void start(@Observes StartupEvent ignored) {
        for (int p = 0; p < partitionCount; p++) {
            partitions.assigned(p);
        }
        timer.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        LOG.infof("Embedded source: %d simulated devices, %d readings/s over %d partitions (no Pulsar)",
                config.devices(), config.rate(), partitionCount);
    }

    void stop(@Observes ShutdownEvent ignored) {
        timer.shutdownNow();
    }

    private void tick() {
        try {
            owed += config.rate() * TICK_MILLIS / 1000.0;
            RawBatch[] batches = new RawBatch[partitionCount];
            long now = System.currentTimeMillis();
            for (; owed >= 1; owed--) {
                SimulatedFleet.Message m = fleet.next(now);
                int p = m.key() == null ? 0 : Math.floorMod(m.key().hashCode(), partitionCount);
                if (batches[p] == null) {
                    batches[p] = new RawBatch();
                }
                batches[p].add(m.payload(), SequencePositions.of(++sequence), now, now); // published as made
            }
            for (int p = 0; p < partitionCount; p++) {
                if (batches[p] != null) {
                    partitions.accept(p, batches[p]).toCompletableFuture().join();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Embedded source: a tick failed; the next one goes on", e);
        }
    }

    @Override
    public CompletionStage<Void> acknowledgeThrough(int partition, byte[] position) {
        return CompletableFuture.completedFuture(null); // nothing to replay from: readings are made up on the fly
    }

    @Override
    public CompletionStage<Boolean> caughtUp(int partition, byte[] position) {
        return CompletableFuture.completedFuture(true); // the fleet is made up on the fly: nothing ever waits for us
    }

    @Override
    public CompletionStage<Optional<String>> acknowledgedBeyond(int partition, byte[] position) {
        return CompletableFuture.completedFuture(Optional.empty());
    }

    /** The simulator owns every partition for good: there is no earlier turn to tell apart. */
    @Override
    public long fence(int partition) {
        return Long.MIN_VALUE;
    }

    @Override
    public void redeliver(int partition) {
    }

    @Override
    public CompletionStage<Optional<byte[]>> acknowledged(int partition) {
        return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public CompletionStage<Boolean> nothingBetween(int partition, byte[] previous, byte[] next) {
        return CompletableFuture.completedFuture(true);
    }

    /** The simulator owns every partition for good: nothing is ever sent ahead to a new owner. */
    @Override
    public boolean follows(byte[] previous, byte[] next) {
        return true;
    }

    @Override
    public int compare(byte[] a, byte[] b) {
        return SequencePositions.compare(a, b);
    }

    @Override
    public String describe(byte[] position) {
        return Long.toString(SequencePositions.sequence(position));
    }

    @Override
    public void send(int partition, byte[] payload, int offset, int length, String error, byte[] sourcePosition) {
        LOG.debugf("Embedded source: rejected (%s): %s", error, new String(payload, offset, length, StandardCharsets.UTF_8));
    }

    @Override
    public CompletionStage<Void> flush(int partition) {
        return CompletableFuture.completedFuture(null);
    }
}
