package io.sensorrollup.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/**
 * Savepoints asked for and not complete yet, kept in the checkpoint store as {@code savepoint-requests/<name>}: a
 * request made on any pod reaches every pod through the store they share, and each takes the parts of the
 * partitions it owns. The request is removed once every partition of the topic has its part. No membership of our
 * own: the shared store and Pulsar's assignment are all a pod needs.
 */
public final class SavepointRequests {

    static final String PREFIX = "savepoint-requests/";

    private final CheckpointStore store;
    private final Clock clock;

    public SavepointRequests(CheckpointStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** @return false when savepoint {@code name} was requested before and is not complete yet */
    public boolean request(String name) throws IOException {
        Checkpoints.checkSavepointName(name);
        return store.putIfAbsent(PREFIX + name, clock.instant().toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The savepoints requested and not complete, by name. */
    public List<String> pending() throws IOException {
        return store.list(PREFIX).stream().map(o -> o.key().substring(PREFIX.length()))
                .filter(name -> !name.contains("/")).sorted().toList();
    }

    /** Every partition has its part of savepoint {@code name}: no pod need take one any more. */
    public void completed(String name) throws IOException {
        store.delete(List.of(PREFIX + name));
    }
}
