package io.sensorrollup.sink.postgres;

import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** The PostgreSQL sink's connection pool, as the health check sees it. */
@ApplicationScoped
public class PostgresDatabase {

    private final Pool pool;

    PostgresDatabase(Pool pool) {
        this.pool = pool;
    }

    /** Throws unless {@code select 1} answers within the timeout. */
    public void ping(Duration timeout) {
        pool.query("select 1").execute().await().atMost(timeout);
    }
}
