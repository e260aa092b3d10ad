package io.sensorrollup.sink.clickhouse;

import com.clickhouse.client.api.Client;
import io.sensorrollup.it.LocalServersResource;
import io.sensorrollup.state.EngineRows;
import io.sensorrollup.window.WindowRow;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Rows per second into the local ClickHouse ({@code dev/services}) over one connection, one batch in
 * flight (as one partition's sink writes), per batch size: {@code dev/bench clickhouse [rows] [batch,batch]}.
 * Rows come from the real engine (500 devices, 1-minute windows, the generator's absent metrics and
 * metadata). Round 1 warms up; the median of the other rounds is printed. A database of its own, dropped after.
 */
public final class ClickHouseSinkBench {

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int[] batches = Arrays.stream((args.length > 1 ? args[1] : "1000,10000,50000").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int rounds = 4;
        List<WindowRow> all = EngineRows.emitted(11, rows * 6 + 10_000, 500, 20, 2_000, EngineRows.config("1m", Duration.ZERO));
        List<WindowRow> input = all.subList(0, rows);
        Map<String, String> env = LocalServersResource.servers().env();
        String database = "bench_" + UUID.randomUUID().toString().substring(0, 8);
        try (Client client = new Client.Builder().addEndpoint(env.get("CLICKHOUSE_URL")).setUsername(env.get("CLICKHOUSE_USER"))
                .setPassword(env.get("CLICKHOUSE_PASSWORD")).compressServerResponse(false)
                .setSocketTimeout(120, ChronoUnit.SECONDS).build()) {
            ClickHouseDatabase db = new ClickHouseDatabase(client, env.get("CLICKHOUSE_URL"), database);
            db.ensureExists();
            ClickHouseRowSink sink = new ClickHouseRowSink(client, db);
            try {
                for (int batch : batches) {
                    double[] rates = new double[rounds - 1];
                    for (int round = 0; round < rounds; round++) {
                        client.execute("TRUNCATE TABLE " + database + ".sensor_aggregates").get(60, TimeUnit.SECONDS).close();
                        long start = System.nanoTime();
                        for (int from = 0; from < input.size(); from += batch) {
                            sink.write(input.subList(from, Math.min(input.size(), from + batch))).toCompletableFuture().join();
                        }
                        double rate = input.size() / ((System.nanoTime() - start) / 1e9);
                        if (round > 0) {
                            rates[round - 1] = rate;
                        }
                    }
                    Arrays.sort(rates);
                    System.out.printf("RESULT clickhouse batch=%d rows=%d rows_per_s=%.0f (rounds %s)%n", batch, rows,
                            rates[rates.length / 2], Arrays.toString(Arrays.stream(rates).mapToLong(Math::round).toArray()));
                }
            } finally {
                client.execute("DROP DATABASE IF EXISTS " + database).get(60, TimeUnit.SECONDS).close();
            }
        }
    }
}
