package io.sensorrollup.sink.postgres;

import io.sensorrollup.sink.RowContentException;
import io.sensorrollup.sink.RowSink;
import io.sensorrollup.window.WindowRow;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Writes rows into {@code sensor_aggregates} (CONTRACT §5): a whole batch is one statement, an upsert
 * from one array per column ({@code unnest}), that keeps the larger {@code version} of each key. One
 * statement is one transaction: the batch is taken entirely or not at all.
 */
@ApplicationScoped
public class PostgresRowSink implements RowSink {

    private final Pool pool;
    private final String upsert;

    @Inject
    PostgresRowSink(Pool pool, PostgresConfig config) {
        this(pool, config.schema());
    }

    /** A sink into {@code schema.sensor_aggregates} (the table must exist: {@link PostgresSchema}). */
    public PostgresRowSink(Pool pool, String schema) {
        this.pool = pool;
        this.upsert = new AggregatesTable(schema).upsertFromArrays();
    }

    @Override
    public String name() {
        return "postgresql";
    }

    /** SQLSTATE classes of a refusal for the content; anything else (connection, timeout, 57P01 shutdown...) may pass later. */
    @Override
    public boolean refusesContent(Throwable failure) {
        return RowSink.super.refusesContent(failure) || PostgresRefusals.refusesContent(failure);
    }

    @Override
    public CompletionStage<Void> write(List<WindowRow> rows) {
        if (rows.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Tuple params;
        try {
            params = ColumnArrays.of(rows);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new RowContentException("cannot encode the rows for PostgreSQL", e));
        }
        return pool.preparedQuery(upsert).execute(params).replaceWithVoid().subscribeAsCompletionStage();
    }
}
