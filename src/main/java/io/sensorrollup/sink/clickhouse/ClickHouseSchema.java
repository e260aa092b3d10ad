package io.sensorrollup.sink.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.QueryResponse;
import io.sensorrollup.sink.AggregateColumn;
import io.sensorrollup.sink.IncompatibleTableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code <database>.sensor_aggregates}: created when missing with the types the server has (DateTime64
 * for the event times from ClickHouse 20.1; Debian's 18.16 has DateTime only), then read back from
 * {@code system.columns} so the inserts follow the table as it is.
 */
final class ClickHouseSchema {

    static final String TABLE = "sensor_aggregates";
    private static final long TIMEOUT_SECONDS = 30;

    private final Client client;
    private final String database;

    ClickHouseSchema(Client client, String database) {
        this.client = client;
        this.database = database;
    }

    String qualifiedTable() {
        return database + "." + TABLE;
    }

    /** Creates the table when missing and returns how to write each of its columns, in the table's order. */
    List<ColumnEncoder> ensure() throws Exception {
        ServerVersion version = ServerVersion.parse(text("SELECT version() FORMAT TabSeparated").trim());
        client.execute(createTable(version)).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).close();
        Map<String, String> types = new LinkedHashMap<>();
        for (String line : text("SELECT name, type FROM system.columns WHERE database = '" + database
                + "' AND table = '" + TABLE + "' FORMAT TabSeparated").split("\n")) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                types.put(line.substring(0, tab), unescape(line.substring(tab + 1)));
            }
        }
        Map<String, AggregateColumn> ours = AggregateColumn.ALL.stream()
                .collect(Collectors.toMap(AggregateColumn::name, c -> c, (a, b) -> a, LinkedHashMap::new));
        List<String> problems = new ArrayList<>();
        List<ColumnEncoder> encoders = new ArrayList<>();
        for (Map.Entry<String, String> column : types.entrySet()) {
            AggregateColumn c = ours.remove(column.getKey());
            if (c == null) {
                problems.add("column " + column.getKey() + " is not one this service writes");
                continue;
            }
            try {
                encoders.add(ColumnEncoder.of(c, column.getValue()));
            } catch (IncompatibleTableException e) {
                problems.add(e.getMessage());
            }
        }
        ours.keySet().forEach(missing -> problems.add("no column " + missing));
        if (!problems.isEmpty()) {
            throw new IncompatibleTableException("ClickHouse table " + qualifiedTable() + " does not fit the rows of this"
                    + " service: " + String.join("; ", problems) + ". Alter it, or choose another database with"
                    + " rollup.clickhouse.database.");
        }
        return encoders;
    }

    String createTable(ServerVersion version) {
        String eventTime = version.atLeast(20, 1) ? "DateTime64(3, 'UTC')" : "DateTime('UTC')";
        String columns = AggregateColumn.ALL.stream().map(c -> c.name() + " " + type(c, eventTime))
                .collect(Collectors.joining(", "));
        return "CREATE TABLE IF NOT EXISTS " + qualifiedTable() + " (" + columns + ")"
                + " ENGINE = ReplacingMergeTree(version)"
                + " PARTITION BY toYYYYMM(window_start)"
                + " ORDER BY (" + String.join(", ", AggregateColumn.KEY) + ")";
    }

    private static String type(AggregateColumn c, String eventTime) {
        String base = switch (c.kind()) {
            case TEXT -> "String";
            case INT32 -> "UInt32";
            case INT64 -> c.name().endsWith("_sum") ? "Int64" : "UInt64";
            case FLOAT64 -> "Float64";
            case TIME_SECONDS -> "DateTime('UTC')";
            case TIME_MILLIS -> eventTime;
        };
        return c.nullable() ? "Nullable(" + base + ")" : base;
    }

    private String text(String sql) throws Exception {
        try (QueryResponse response = client.query(sql).get(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            return new String(response.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** TabSeparated escapes quotes and backslashes: {@code DateTime(\'UTC\')}. */
    private static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\' && i + 1 < s.length()) {
                ch = s.charAt(++i);
            }
            out.append(ch);
        }
        return out.toString();
    }

    /** {@code major.minor} of {@code SELECT version()}. */
    record ServerVersion(int major, int minor) {

        static ServerVersion parse(String version) throws IOException {
            String[] parts = version.split("\\.");
            try {
                return new ServerVersion(Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0);
            } catch (NumberFormatException e) {
                throw new IOException("cannot read the ClickHouse version from '" + version + "'");
            }
        }

        boolean atLeast(int major, int minor) {
            return this.major > major || (this.major == major && this.minor >= minor);
        }
    }
}
