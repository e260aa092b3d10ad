package io.sensorrollup.sink.postgres;

import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** The PostgreSQL sink's database: its table prepared at start-up, its connection pool as the health check sees it. */
@ApplicationScoped
public class PostgresDatabase {

    private static final Duration DDL_TIMEOUT = Duration.ofSeconds(30);

    private final Pool pool;
    private final PostgresConfig config;

    PostgresDatabase(Pool pool, PostgresConfig config) {
        this.pool = pool;
        this.config = config;
    }

    /** Creates {@code sensor_aggregates} (and its schema) when missing; throws when an existing one does not fit. */
    public void ensureSchema() {
        new PostgresSchema(pool, config.schema()).ensure(DDL_TIMEOUT);
    }

    /** Throws unless {@code select 1} answers within the timeout. */
    public void ping(Duration timeout) {
        pool.query("select 1").execute().await().atMost(timeout);
    }
}
