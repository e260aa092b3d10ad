package io.sensorrollup.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;

/**
 * The rows a service stored, read back the way users read them: ClickHouse with {@code FINAL} over its
 * HTTP interface, PostgreSQL through {@code psql} (no client of the service's own is used to check it).
 */
final class StoredRows {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StoredRows() {
    }

    static List<Map<String, Object>> clickhouse(Map<String, String> env, String database) throws IOException, InterruptedException {
        String body = clickhouseQuery(env, "SELECT * FROM " + database + ".sensor_aggregates FINAL FORMAT JSONEachRow");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (!line.isBlank()) {
                rows.add(RowColumns.of(JSON.readTree(line)));
            }
        }
        return rows;
    }

    /** Rows stored per key before deduplication (a replay may have written some twice; FINAL hides that). */
    static long clickhouseCount(Map<String, String> env, String database, boolean deduplicated) throws IOException, InterruptedException {
        String body = clickhouseQuery(env, "SELECT count() FROM " + database + ".sensor_aggregates"
                + (deduplicated ? " FINAL" : "") + " FORMAT TabSeparated");
        return Long.parseLong(body.trim());
    }

    /** 1 when the table keeps milliseconds (DateTime64), 1000 on servers that only have DateTime (18.16). */
    static long clickhouseTimeResolution(Map<String, String> env, String database) throws IOException, InterruptedException {
        String type = clickhouseQuery(env, "SELECT type FROM system.columns WHERE database = '" + database
                + "' AND table = 'sensor_aggregates' AND name = 'first_event_time' FORMAT TabSeparated").trim();
        return type.startsWith("DateTime64") ? 1 : 1000;
    }

    /** Waits until the rows hold every valid reading of the corpus (or more: a double count fails the comparison after). */
    static void awaitReadings(String label, long valid, Callable<List<Map<String, Object>>> rows) {
        Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2))
                .ignoreExceptions().until(() -> {
                    long counted = rows.call().stream().mapToLong(r -> (Long) r.get("message_count")).sum();
                    System.out.printf("%s: %d of %d readings in stored rows%n", label, counted, valid);
                    return counted >= valid;
                });
    }

    /**
     * One client, and so one connection, per query: ClickHouse closes an idle connection after its
     * {@code keep_alive_timeout} (3 s here), and a pooled one reused at that moment fails with "header parser
     * received no bytes", which a poll every 3 s hits about one time in four.
     */
    static String clickhouseQuery(Map<String, String> env, String sql) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(env.get("CLICKHOUSE_URL") + "/?user="
                        + URLEncoder.encode(env.get("CLICKHOUSE_USER"), StandardCharsets.UTF_8)
                        + "&password=" + URLEncoder.encode(env.get("CLICKHOUSE_PASSWORD"), StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(sql)).build();
        HttpClient.Builder client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
        if (env.containsKey("TLS_CA_FILE")) { // the secured servers (SecureServers)
            client.sslContext(io.sensorrollup.source.tls.PemTrust.context("TLS_CA_FILE", java.nio.file.Path.of(env.get("TLS_CA_FILE"))));
        }
        HttpResponse<String> response = client.build().send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("ClickHouse answered " + response.statusCode() + " to " + sql + ": " + response.body());
        }
        return response.body();
    }

    static List<Map<String, Object>> postgres(Map<String, String> env, String schema) throws IOException, InterruptedException {
        String json = psql(env, "select coalesce(json_agg(t), '[]') from " + schema + ".sensor_aggregates t");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode row : JSON.readTree(json)) {
            rows.add(RowColumns.of(row));
        }
        return rows;
    }

    static String psql(Map<String, String> env, String sql) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("/usr/lib/postgresql/15/bin/psql", "-X", "-q", "-A", "-t",
                "-v", "ON_ERROR_STOP=1", "-h", env.get("PG_HOST"), "-p", env.get("PG_PORT"), "-U", env.get("PG_USER"),
                "-d", env.get("PG_DATABASE"), "-c", sql);
        builder.environment().put("PGPASSWORD", env.get("PG_PASSWORD"));
        builder.environment().put("PGTZ", "UTC");
        if (env.containsKey("PG_SSLMODE")) { // the secured servers (SecureServers)
            builder.environment().put("PGSSLMODE", env.get("PG_SSLMODE"));
            builder.environment().put("PGSSLROOTCERT", env.get("PG_SSLROOTCERT"));
        }
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("psql failed on " + sql + ": " + out);
        }
        return out.trim();
    }
}
