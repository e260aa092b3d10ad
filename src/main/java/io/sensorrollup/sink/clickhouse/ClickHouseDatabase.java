package io.sensorrollup.sink.clickhouse;

import com.clickhouse.client.api.Client;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The database and table the rows go to: created at start-up when missing, checked against what the sink writes. */
@ApplicationScoped
public class ClickHouseDatabase {

    /** The table as the inserts address it: its name, its columns in order, and how to encode each. */
    record Table(String name, List<String> columns, List<ColumnEncoder> encoders) {
    }

    private final Client client;
    private final ClickHouseConfig config;
    private volatile Table table;

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

    /** Creates the database and table when missing and checks the table (at start-up, before any insert). */
    public void ensureExists() throws Exception {
        client.execute("CREATE DATABASE IF NOT EXISTS " + config.database()).get(30, TimeUnit.SECONDS).close();
        ClickHouseSchema schema = new ClickHouseSchema(client, config.database());
        List<ColumnEncoder> encoders = schema.ensure();
        table = new Table(schema.qualifiedTable(), encoders.stream().map(ColumnEncoder::name).toList(), encoders);
    }

    Table table() {
        Table t = table;
        if (t == null) {
            throw new IllegalStateException("the ClickHouse table is not prepared yet (start-up prepares it)");
        }
        return t;
    }

    /** Throws unless the server answers {@code /ping}. */
    public void ping() throws IOException {
        if (!client.ping(2_000)) {
            throw new IOException("no answer to /ping within 2 s");
        }
    }
}
