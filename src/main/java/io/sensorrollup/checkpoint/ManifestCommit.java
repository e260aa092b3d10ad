package io.sensorrollup.checkpoint;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * The commit point of checkpoint n: one conditional put of {@code chk-n/_metadata}, so that of two writers
 * putting the same n exactly one wins. A put whose answer is lost (a timeout, a reset connection) may or
 * may not have stored: it stays pending, and is settled by reading the key back before the writer does
 * anything else. Our bytes: committed. Absent: not committed, and n is free again. Other bytes: another
 * writer took n. At most one put is pending, so this remembers one attempt, never a growing set of them.
 */
final class ManifestCommit {

    enum Outcome {
        COMMITTED, NOT_STORED, TAKEN
    }

    private static final System.Logger LOG = System.getLogger(ManifestCommit.class.getName());
    private static final int READ_BACK_ATTEMPTS = 3;

    private record Attempt(long id, String key, byte[] bytes) {
    }

    private final CheckpointStore store;
    private Attempt pending;

    ManifestCommit(CheckpointStore store) {
        this.store = store;
    }

    /**
     * @return {@link Outcome#COMMITTED} or {@link Outcome#TAKEN}
     * @throws IOException nothing was stored (n is free), or, as {@link CheckpointStoreUnavailableException},
     *     the outcome is unknown and stays pending
     */
    Outcome put(long id, String key, byte[] bytes) throws IOException {
        if (pending != null) {
            throw new IllegalStateException("the put of " + pending.key + " is not settled yet");
        }
        try {
            return store.putIfAbsent(key, bytes) ? Outcome.COMMITTED : Outcome.TAKEN;
        } catch (IOException unknown) {
            LOG.log(Level.WARNING, "The put of {0} failed ({1}): reading it back to learn whether it was stored",
                    store.describe(key), unknown.getMessage());
            pending = new Attempt(id, key, bytes);
            Outcome outcome = settle();
            if (outcome == Outcome.NOT_STORED) {
                throw unknown;
            }
            return outcome;
        }
    }

    /** The id of the put whose outcome is not known yet. */
    OptionalLong pendingId() {
        return pending == null ? OptionalLong.empty() : OptionalLong.of(pending.id);
    }

    /**
     * Reads the pending put's key back.
     *
     * @throws CheckpointStoreUnavailableException the store did not answer: still pending
     */
    Outcome settle() throws CheckpointStoreUnavailableException {
        IOException failure = null;
        for (int attempt = 1; attempt <= READ_BACK_ATTEMPTS; attempt++) {
            try {
                byte[] stored = store.getBytes(pending.key);
                Outcome outcome = Arrays.equals(stored, pending.bytes) ? Outcome.COMMITTED : Outcome.TAKEN;
                pending = null;
                return outcome;
            } catch (NoSuchFileException absent) {
                pending = null;
                return Outcome.NOT_STORED;
            } catch (IOException e) {
                failure = e;
            }
        }
        throw new CheckpointStoreUnavailableException("whether " + store.describe(pending.key) + " was stored is unknown:"
                + " reading it back failed " + READ_BACK_ATTEMPTS + " times (" + failure.getMessage()
                + "); the next checkpoint of the partition reads it again first", failure);
    }
}
