package io.sensorrollup.sink.postgres;

import io.sensorrollup.it.LocalServersResource;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.util.Map;
import java.util.UUID;

/**
 * The local PostgreSQL of {@code dev/services} (shared by every test run on this machine, already up or
 * brought up here) as a Vert.x pool, and schema names no other run uses.
 */
public final class LocalPostgres implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final Pool pool;

    public LocalPostgres(int connections) {
        this(connections, false);
    }

    /** {@code cacheStatements}: keep prepared statements per connection (quarkus.datasource.reactive.cache-prepared-statements). */
    public LocalPostgres(int connections, boolean cacheStatements) {
        this(connections, cacheStatements, 0);
    }

    /** {@code port}: another port than the server's (1: nothing listens, a store that is down); 0 for the server's. */
    public LocalPostgres(int connections, boolean cacheStatements, int port) {
        var servers = LocalServersResource.servers();
        servers.up();
        Map<String, String> env = servers.env();
        PgConnectOptions connect = new PgConnectOptions()
                .setHost(env.get("PG_HOST"))
                .setPort(port != 0 ? port : Integer.parseInt(env.get("PG_PORT")))
                .setDatabase(env.get("PG_DATABASE"))
                .setUser(env.get("PG_USER"))
                .setPassword(env.get("PG_PASSWORD"))
                .setCachePreparedStatements(cacheStatements);
        this.pool = Pool.pool(vertx, connect, new PoolOptions().setMaxSize(connections));
    }

    public Pool pool() {
        return pool;
    }

    /** A fresh schema name, {@code <prefix>_<8 hex digits>}. */
    public static String uniqueSchema(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    public void dropSchema(String schema) {
        pool.query("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE").execute().await().indefinitely();
    }

    @Override
    public void close() {
        pool.closeAndAwait();
        vertx.closeAndAwait();
    }
}
