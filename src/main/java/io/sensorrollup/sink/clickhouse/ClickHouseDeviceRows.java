package io.sensorrollup.sink.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.QueryResponse;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A device's latest rows as users read them ({@code FINAL}: one row per window, its newest version); for the console. */
@ApplicationScoped
public class ClickHouseDeviceRows {

    private static final long TIMEOUT_SECONDS = 5;
    private static final TypeReference<Map<String, Object>> ROW = new TypeReference<>() {
    };

    private final Client client;
    private final ClickHouseDatabase database;
    private final ObjectMapper json = new ObjectMapper();

    ClickHouseDeviceRows(Client client, ClickHouseDatabase database) {
        this.client = client;
        this.database = database;
    }

    /** The device's {@code limit} latest windows, newest first, with every column of the table. */
    public List<Map<String, Object>> latest(String deviceId, int limit) throws Exception {
        // a literal, not a query parameter: Debian's ClickHouse 18.16 has no query parameters
        String sql = "SELECT * FROM " + database.name() + "." + ClickHouseSchema.TABLE + " FINAL WHERE device_id = "
                + literal(deviceId) + " ORDER BY window_start DESC, window_size_s LIMIT " + limit + " FORMAT JSONEachRow";
        String body;
        try (QueryResponse response = client.query(sql).get(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            body = new String(response.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (!line.isBlank()) {
                rows.add(json.readValue(line, ROW));
            }
        }
        return rows;
    }

    /** A ClickHouse string literal: quotes and backslashes escaped, so no value can end it. */
    static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
