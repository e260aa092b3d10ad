package io.sensorrollup.sink.clickhouse;

import com.clickhouse.client.api.Client;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
    private final String endpoint;
    private final String database;
    private volatile Table table;

    @Inject
    ClickHouseDatabase(Client client, ClickHouseConfig config) {
        this(client, config.url(), config.database());
    }

    ClickHouseDatabase(Client client, String endpoint, String database) {
        this.client = client;
        this.endpoint = endpoint;
        this.database = database;
    }

    public String endpoint() {
        return endpoint;
    }

    public String name() {
        return database;
    }

    /** Creates the database and table when missing and checks the table (at start-up, before any insert). */
    public void ensureExists() throws Exception {
        client.execute("CREATE DATABASE IF NOT EXISTS " + database).get(30, TimeUnit.SECONDS).close();
        ClickHouseSchema schema = new ClickHouseSchema(client, database);
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

    /**
     * Throws unless the server answers {@code /ping}; with the reason when it refuses the service (a wrong password,
     * an untrusted certificate), which {@code /ping} alone does not tell: the client only says false.
     */
    public void ping() throws IOException {
        if (client.ping(2_000)) {
            return;
        }
        try {
            client.execute("SELECT 1").get(2, TimeUnit.SECONDS).close();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("no answer to /ping within 2 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (Exception e) {
            Throwable failure = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IOException(reason(failure), failure);
        }
        throw new IOException("no answer to /ping within 2 s");
    }

    /** The innermost message that says why, e.g. "Wrong password for user" or "PKIX path building failed". */
    private static String reason(Throwable failure) {
        String reason = String.valueOf(failure.getMessage());
        for (Throwable cause = failure.getCause(); cause != null && cause != failure; cause = cause.getCause()) {
            if (cause.getMessage() != null && !reason.contains(cause.getMessage())) {
                reason = reason + " <- " + cause.getMessage();
            }
            failure = cause;
        }
        return reason;
    }
}
