package io.sensorrollup.sink;

import io.sensorrollup.window.WindowRow;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Writes each row as a log line: for the embedded profile and for trying the service without a database. */
public final class LogRowSink implements RowSink {

    private static final System.Logger LOG = System.getLogger("io.sensorrollup.rows");

    @Override
    public String name() {
        return "log";
    }

    @Override
    public CompletionStage<Void> write(List<WindowRow> rows) {
        for (WindowRow row : rows) {
            LOG.log(Level.INFO, "window closed: {0}", row);
        }
        return CompletableFuture.completedFuture(null);
    }
}
