package io.sensorrollup.sink;

import io.sensorrollup.window.WindowRow;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A store that closed windows are written to (CONTRACT §5). Rows reach it at least once: a restore
 * resends the outbox and a replay re-emits the same rows, so a write must be idempotent by the row key
 * {@code (device_id, window_size_s, window_start)}, keeping the row with the larger {@code version}.
 */
public interface RowSink {

    /** What the logs, metrics and health checks call this store ({@code clickhouse}, {@code postgresql}). */
    String name();

    /**
     * Writes {@code rows} (one partition's, in emission order). Completes when the store has taken all
     * of them for good; completes exceptionally when it may have taken none, some or all (the caller
     * writes them again).
     */
    CompletionStage<Void> write(List<WindowRow> rows);

    /**
     * True when {@code failure} of a {@link #write} means the store refused the rows for their content (a value it
     * cannot store: a retry of the same rows fails the same way), false when the store may take them later (it is
     * down, slow, overloaded). The drain then looks for the refused rows and writes the others.
     */
    default boolean refusesContent(Throwable failure) {
        return Failures.find(failure, RowContentException.class) != null;
    }
}
