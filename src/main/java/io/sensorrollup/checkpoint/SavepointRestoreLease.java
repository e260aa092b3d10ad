package io.sensorrollup.checkpoint;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One pod at a time starts from a savepoint. A StatefulSet starts its pods in parallel, and two pods promoting one
 * savepoint would commit its parts twice, the second time over what the first pod's partitions had processed and
 * acknowledged since. The lease is an object in the store, {@code savepoint-restores/<name>}, holding the pod's name
 * and when it took it; the other pods wait for it, then find the savepoint applied. A pod that finds its own name
 * (restarted after dying half-way) takes the lease again, and a lease older than {@code stale} is taken over.
 */
public final class SavepointRestoreLease implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SavepointRestoreLease.class.getName());
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration SAY_EVERY = Duration.ofSeconds(10);

    private final CheckpointStore store;
    private final String key;

    private SavepointRestoreLease(CheckpointStore store, String key) {
        this.store = store;
        this.key = key;
    }

    /** Waits until this pod holds the lease of savepoint {@code name}. */
    public static SavepointRestoreLease await(CheckpointStore store, String name, String owner, Clock clock, Duration stale)
            throws IOException, InterruptedException {
        Checkpoints.checkSavepointName(name);
        String key = "savepoint-restores/" + name;
        Instant lastSaid = Instant.MIN;
        while (true) {
            Instant now = clock.instant();
            if (store.putIfAbsent(key, (owner + " " + now.toEpochMilli()).getBytes(StandardCharsets.UTF_8))) {
                return new SavepointRestoreLease(store, key);
            }
            String holder;
            Instant since;
            try {
                String[] held = new String(store.getBytes(key), StandardCharsets.UTF_8).split(" ", 2);
                holder = held[0];
                since = Instant.ofEpochMilli(Long.parseLong(held[1]));
            } catch (NoSuchFileException released) {
                continue;
            } catch (RuntimeException unreadable) {
                holder = "?";
                since = Instant.EPOCH;
            }
            if (holder.equals(owner) || Duration.between(since, now).compareTo(stale) > 0) {
                LOG.log(Level.WARNING, "Taking over the restore of savepoint {0} from {1}, which began it at {2}", name,
                        holder.equals(owner) ? "this pod's earlier life" : holder, since);
                store.delete(List.of(key));
                continue;
            }
            if (Duration.between(lastSaid, now).compareTo(SAY_EVERY) >= 0) {
                LOG.log(Level.INFO, "Waiting for {0}, which is starting from savepoint {1} since {2}", holder, name, since);
                lastSaid = now;
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    @Override
    public void close() throws IOException {
        store.delete(List.of(key));
    }
}
