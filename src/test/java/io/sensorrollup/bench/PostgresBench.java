package io.sensorrollup.bench;

import io.sensorrollup.sink.RowSink;
import io.sensorrollup.sink.postgres.LocalPostgres;
import io.sensorrollup.sink.postgres.PipelinedRowSink;
import io.sensorrollup.sink.postgres.PostgresRowSink;
import io.sensorrollup.sink.postgres.PostgresSchema;
import io.sensorrollup.state.EngineRows;
import io.sensorrollup.window.WindowRow;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Rows per second into the local PostgreSQL ({@code dev/services}), per sink variant and batch size.
 *
 * <pre>
 * PostgresBench [--rows N] [--batches 1000,10000] [--variants arrays,pipelined] [--rounds R] [--writers W]
 *               [--cache-statements true|false]
 * </pre>
 * Rows come from the real engine over generated readings (500 devices, 1-minute windows, the generator's
 * absent metrics and metadata), all version 1. Each round empties the table, then times {@code insert}: all
 * rows written in batches by {@code W} writers (disjoint slices, one batch in flight each, as a partition's
 * sink does), then {@code replay}: the same rows again (every key conflicts; what a restore's resend costs).
 * Variants alternate within a round; round 1 warms up and is not counted; the RESULT line per variant and
 * batch size gives medians. Besides rows/s (which on a shared machine moves with the load), the CPU time per
 * row of the server's backends ({@code /proc}, the server runs here) and of this JVM. The table lives in a
 * schema of its own, dropped at the end.
 */
public final class PostgresBench {

    private static final com.sun.management.OperatingSystemMXBean CLIENT =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        int rows = Integer.parseInt(opts.getOrDefault("rows", "100000"));
        int[] batches = Arrays.stream(opts.getOrDefault("batches", "1000,10000").split(",")).mapToInt(Integer::parseInt).toArray();
        List<String> variants = List.of(opts.getOrDefault("variants", "arrays,pipelined").split(","));
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "4"));
        int writers = Integer.parseInt(opts.getOrDefault("writers", "1"));
        boolean cache = Boolean.parseBoolean(opts.getOrDefault("cache-statements", "false"));

        long t0 = System.nanoTime();
        List<WindowRow> all = EngineRows.emitted(11, rows * 6 + 10_000, 500, 20, 2_000, EngineRows.config("1m", Duration.ZERO));
        if (all.size() < rows) {
            throw new IllegalStateException("the engine emitted only " + all.size() + " rows");
        }
        List<WindowRow> data = all.subList(0, rows);
        System.out.printf("rows=%d generated in %.1f s; writers=%d cache-statements=%s%n", rows,
                (System.nanoTime() - t0) / 1e9, writers, cache);

        String schema = LocalPostgres.uniqueSchema("bench_pg");
        try (LocalPostgres postgres = new LocalPostgres(writers, cache)) {
            try {
                new PostgresSchema(postgres.pool(), schema).ensure(Duration.ofSeconds(30));
                List<Long> backends = backendPids(postgres.pool(), writers);
                Map<String, RowSink> sinks = new LinkedHashMap<>();
                for (String variant : variants) {
                    sinks.put(variant, switch (variant) {
                        case "arrays" -> new PostgresRowSink(postgres.pool(), schema);
                        case "pipelined" -> new PipelinedRowSink(postgres.pool(), schema);
                        default -> throw new IllegalArgumentException("--variants: arrays or pipelined, not " + variant);
                    });
                }
                for (int batch : batches) {
                    Map<String, List<double[]>> measured = new LinkedHashMap<>();
                    // variants alternate within each round, so a load that comes and goes hits them alike
                    for (int round = 1; round <= rounds; round++) {
                        for (Map.Entry<String, RowSink> sink : sinks.entrySet()) {
                            postgres.pool().query("TRUNCATE \"" + schema + "\".sensor_aggregates").execute().await().indefinitely();
                            double[] insert = measure(sink.getValue(), data, batch, writers, backends);
                            double[] replay = measure(sink.getValue(), data, batch, writers, backends);
                            System.out.printf("variant=%s batch=%d round=%d insert_rows_per_s=%.0f server_cpu_us_per_row=%.1f"
                                    + " client_cpu_us_per_row=%.1f replay_rows_per_s=%.0f%n", sink.getKey(), batch, round,
                                    insert[0], insert[1], insert[2], replay[0]);
                            if (round > 1 || rounds == 1) {
                                measured.computeIfAbsent(sink.getKey(), k -> new ArrayList<>()).add(
                                        new double[] {insert[0], insert[1], insert[2], replay[0]});
                            }
                        }
                    }
                    for (Map.Entry<String, List<double[]>> m : measured.entrySet()) {
                        System.out.printf("RESULT variant=%s batch=%d writers=%d median_insert_rows_per_s=%.0f"
                                + " server_cpu_us_per_row=%.1f client_cpu_us_per_row=%.1f median_replay_rows_per_s=%.0f%n",
                                m.getKey(), batch, writers, median(m.getValue(), 0), median(m.getValue(), 1),
                                median(m.getValue(), 2), median(m.getValue(), 3));
                    }
                }
            } finally {
                postgres.dropSchema(schema);
            }
        }
    }

    /** The server processes behind the pool's connections (it opens them all, and keeps them). */
    private static List<Long> backendPids(Pool pool, int connections) {
        List<SqlConnection> held = new ArrayList<>();
        try {
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                SqlConnection c = pool.getConnectionAndAwait();
                held.add(c);
                pids.add(c.query("SELECT pg_backend_pid()").executeAndAwait().iterator().next().getInteger(0).longValue());
            }
            return pids;
        } finally {
            held.forEach(SqlConnection::closeAndAwait);
        }
    }

    /** CPU seconds the server's backends have used (the server runs on this machine). */
    private static double serverCpuSeconds(List<Long> pids) {
        double ticks = 0;
        for (long pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
            } catch (IOException e) {
                return Double.NaN;
            }
        }
        return ticks / 100.0; // USER_HZ
    }

    /** [rows/s, server CPU µs per row, client (this JVM) CPU µs per row]. */
    private static double[] measure(RowSink sink, List<WindowRow> rows, int batch, int writers, List<Long> backends) {
        double server = serverCpuSeconds(backends);
        long client = CLIENT.getProcessCpuTime();
        double rate = rowsPerSecond(sink, rows, batch, writers);
        return new double[] {rate, (serverCpuSeconds(backends) - server) * 1e6 / rows.size(),
            (CLIENT.getProcessCpuTime() - client) / 1e3 / rows.size()};
    }

    private static double rowsPerSecond(RowSink sink, List<WindowRow> rows, int batch, int writers) {
        long start = System.nanoTime();
        List<CompletableFuture<Void>> running = new ArrayList<>();
        int slice = (rows.size() + writers - 1) / writers;
        for (int w = 0; w < writers; w++) {
            List<WindowRow> mine = rows.subList(Math.min(rows.size(), w * slice), Math.min(rows.size(), (w + 1) * slice));
            running.add(CompletableFuture.runAsync(() -> {
                for (int from = 0; from < mine.size(); from += batch) {
                    try {
                        sink.write(mine.subList(from, Math.min(mine.size(), from + batch))).toCompletableFuture()
                                .get(5, TimeUnit.MINUTES);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }));
        }
        running.forEach(CompletableFuture::join);
        return rows.size() / ((System.nanoTime() - start) / 1e9);
    }

    private static double median(List<double[]> values, int field) {
        List<Double> sorted = values.stream().map(v -> v[field]).sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        return opts;
    }

    private PostgresBench() {
    }
}
