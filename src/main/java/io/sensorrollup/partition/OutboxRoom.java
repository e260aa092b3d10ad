package io.sensorrollup.partition;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether a partition's outbox has room: a stage that is done while the outbox is within its limit, and that
 * the source waits on while it is over (the sink is behind or down). A dropped partition always has room, so
 * nothing waits on it for ever.
 */
final class OutboxRoom {

    private final long maxRows;
    private final AtomicReference<CompletableFuture<Void>> room =
            new AtomicReference<>(CompletableFuture.completedFuture(null));
    private volatile long rows;
    private volatile boolean released;

    OutboxRoom(long maxRows) {
        this.maxRows = maxRows;
    }

    CompletableFuture<Void> stage() {
        return room.get();
    }

    long rows() {
        return rows;
    }

    /** The outbox now holds {@code rows}. */
    void update(long rows) {
        this.rows = rows;
        CompletableFuture<Void> current = room.get();
        if (rows > maxRows && !released) {
            if (current.isDone()) {
                room.compareAndSet(current, new CompletableFuture<>());
            }
        } else {
            current.complete(null);
        }
        if (released) {
            // release() may have completed the previous stage just before the swap above
            room.get().complete(null);
        }
    }

    /** The partition was dropped: nobody waits for its outbox any more. */
    void release() {
        released = true;
        room.get().complete(null);
    }
}
