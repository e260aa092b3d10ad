package io.sensorrollup.sink.clickhouse;

import com.clickhouse.client.api.Client;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** The database the rows go to: created at start-up when missing; tables are named with it. */
@ApplicationScoped
public class ClickHouseDatabase {

    private final Client client;
    private final ClickHouseConfig config;

    ClickHouseDatabase(Client client, ClickHouseConfig config) {
        this.client = client;
        this.config = config;
    }

    public String endpoint() {
        return config.url();
    }

    public String name() {
        return config.database();
    }

    public void ensureExists() throws Exception {
        client.execute("CREATE DATABASE IF NOT EXISTS " + config.database()).get(30, TimeUnit.SECONDS).close();
    }

    /** Throws unless the server answers {@code /ping}. */
    public void ping() throws IOException {
        if (!client.ping(2_000)) {
            throw new IOException("no answer to /ping within 2 s");
        }
    }
}
