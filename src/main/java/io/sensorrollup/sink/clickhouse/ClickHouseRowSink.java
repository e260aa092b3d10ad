package io.sensorrollup.sink.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import io.sensorrollup.sink.RowContentException;
import io.sensorrollup.sink.RowSink;
import io.sensorrollup.window.WindowRow;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Closed windows into {@code <database>.sensor_aggregates}: one RowBinary insert per batch, streamed
 * as it is encoded. ReplacingMergeTree(version) keyed by the row key makes a resent row harmless; read
 * with {@code FINAL}.
 */
@ApplicationScoped
public class ClickHouseRowSink implements RowSink {

    private final Client client;
    private final ClickHouseDatabase database;

    ClickHouseRowSink(Client client, ClickHouseDatabase database) {
        this.client = client;
        this.database = database;
    }

    @Override
    public String name() {
        return "clickhouse";
    }

    @Override
    public boolean refusesContent(Throwable failure) {
        return RowSink.super.refusesContent(failure) || ClickHouseRefusals.refusesContent(failure);
    }

    @Override
    public CompletionStage<Void> write(List<WindowRow> rows) {
        ClickHouseDatabase.Table table = database.table();
        try { // before the insert streams: a value found wrong half-way could not be taken back
            for (WindowRow row : rows) {
                for (ColumnEncoder encoder : table.encoders()) {
                    encoder.check(row);
                }
            }
        } catch (RowContentException e) {
            return CompletableFuture.failedFuture(e);
        }
        try { // the client throws at once when it cannot connect: a failed write like any other
            return client.insert(table.name(), table.columns(), out -> {
                        RowBinaryOutput binary = new RowBinaryOutput(out);
                        for (WindowRow row : rows) {
                            for (ColumnEncoder encoder : table.encoders()) {
                                encoder.write(binary, row);
                            }
                        }
                        binary.flush();
                    }, ClickHouseFormat.RowBinary, new InsertSettings())
                    .thenAccept(response -> response.close());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
