package io.sensorrollup.sink.postgres;

import io.sensorrollup.sink.RowSink;
import io.sensorrollup.window.WindowRow;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The alternative {@link PostgresRowSink} was measured against (PostgresBench): the single-row upsert
 * executed once per row in one pipelined batch ({@code executeBatch}: Bind/Execute per row, one Sync).
 * Two versions of one key in a batch need no care here: the statements run in order.
 */
public final class PipelinedRowSink implements RowSink {

    private final Pool pool;
    private final String upsert;

    public PipelinedRowSink(Pool pool, String schema) {
        this.pool = pool;
        this.upsert = new AggregatesTable(schema).upsertOne();
    }

    @Override
    public String name() {
        return "postgresql-pipelined";
    }

    @Override
    public CompletionStage<Void> write(List<WindowRow> rows) {
        if (rows.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<Tuple> tuples = new ArrayList<>(rows.size());
        for (WindowRow row : rows) {
            Object[] values = new Object[AggregatesTable.COLUMNS.size()];
            for (int c = 0; c < values.length; c++) {
                values[c] = AggregatesTable.COLUMNS.get(c).value().apply(row);
            }
            tuples.add(Tuple.wrap(values));
        }
        return pool.preparedQuery(upsert).executeBatch(tuples).replaceWithVoid().subscribeAsCompletionStage();
    }
}
