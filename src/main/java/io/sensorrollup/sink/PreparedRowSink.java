package io.sensorrollup.sink;

import io.sensorrollup.window.WindowRow;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

/**
 * Holds a store's writes until its table is prepared (created when missing, checked against the rows). Start-up
 * goes on without a store that does not answer in time, so until it does, a write fails as one to a store that is
 * down: the rows wait in the outbox and the drain retries them with its backoff.
 */
public final class PreparedRowSink extends ForwardingRowSink {

    private final BooleanSupplier prepared;

    public PreparedRowSink(RowSink sink, BooleanSupplier prepared) {
        super(sink);
        this.prepared = prepared;
    }

    @Override
    public CompletionStage<Void> write(List<WindowRow> rows) {
        if (!prepared.getAsBoolean()) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    sink.name() + " is not prepared yet (it did not answer at start-up); its preparation is retrying"));
        }
        return sink.write(rows);
    }
}
