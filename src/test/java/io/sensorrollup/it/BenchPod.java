package io.sensorrollup.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One pod of {@code dev/bench failover} over its lives (each start is a new process with counters from 0): what all
 * its lives processed, the ended ones frozen at their end. A killed life is frozen at its last sample, taken right
 * before the kill; a stopped one at exactly what it processed, from its hand-over lines.
 */
final class BenchPod {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SERIES = Pattern.compile("^(rollup_readings_received_total|rollup_readings_rejected_total)\\{([^}]*)\\} (\\S+)$");
    private static final Pattern PARTITION = Pattern.compile("partition=\"(\\d+)\"");

    /** One sample of a life's counters. */
    record Counters(long received, long late, Map<Integer, Long> receivedPerPartition) {
        static final Counters ZERO = new Counters(0, 0, Map.of());
    }

    final String name;
    private final Map<String, String> config;
    private final List<String> jvmOptions;
    private final String logName;
    private ServiceProcess process;
    private volatile Counters last = Counters.ZERO;
    private long frozenReceived;
    private long frozenLate;

    BenchPod(String name, String logName, Map<String, String> config, List<String> jvmOptions) {
        this.name = name;
        this.logName = logName;
        this.config = config;
        this.jvmOptions = jvmOptions;
    }

    PodLog log() {
        return new PodLog(Path.of("target", logName + ".log"));
    }

    synchronized void start() throws IOException, InterruptedException {
        last = Counters.ZERO;
        process = ServiceProcess.start(logName, config, jvmOptions);
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    /** Samples the live process (its last sample stays when it does not answer). */
    synchronized void sample() {
        if (!alive()) {
            return;
        }
        try {
            last = counters(process.get("/q/metrics").body());
        } catch (IOException | InterruptedException | RuntimeException notNow) {
            // stopping, or busy: the next sample
        }
    }

    /** What every life processed and rejected as late: the live one as last sampled. */
    synchronized long received() {
        return frozenReceived + (alive() ? last.received() : 0);
    }

    synchronized long late() {
        return frozenLate + (alive() ? last.late() : 0);
    }

    /** The partitions this life runs (restored), from {@code /api/partitions}. */
    Set<Integer> owned() throws IOException, InterruptedException {
        Set<Integer> owned = new TreeSet<>();
        for (JsonNode p : JSON.readTree(process.get("/api/partitions").body())) {
            owned.add(p.path("partition").asInt());
        }
        return owned;
    }

    /** SIGKILL right after a last sample; the epoch millisecond of the signal. */
    synchronized long kill() throws InterruptedException {
        sample();
        long at = System.currentTimeMillis();
        process.kill();
        freeze(last.received(), last.late());
        return at;
    }

    /**
     * SIGTERM; waits for the exit. Returns the epoch millisecond of the signal. The life is frozen at what its
     * partitions' hand-over lines say (or their counters' last sample, where a partition came back to this life and
     * its counter holds more: then what was processed between that sample and the stop goes uncounted), plus what it
     * processed of partitions that had moved away before.
     */
    long terminate() throws IOException, InterruptedException {
        Counters before;
        long at;
        synchronized (this) {
            sample();
            before = last;
            at = System.currentTimeMillis();
        }
        process.terminate(java.time.Duration.ofSeconds(60));
        synchronized (this) {
            long received = 0;
            Map<Integer, Long> rest = new HashMap<>(before.receivedPerPartition());
            for (PodLog.HandOver h : log().handOversSince(at)) {
                // a hand-over line counts since the partition's last assignment; a partition this life had before,
                // lost and got back (a rolling restart moves partitions back and forth) counted more in its counter
                Long sampled = rest.remove(h.partition());
                received += Math.max(h.readings(), sampled == null ? 0 : sampled);
            }
            received += rest.values().stream().mapToLong(Long::longValue).sum();
            freeze(received, before.late());
        }
        return at;
    }

    private void freeze(long received, long late) {
        frozenReceived += received;
        frozenLate += late;
        last = Counters.ZERO;
    }

    void close() throws InterruptedException {
        if (process != null) {
            process.kill();
        }
    }

    static Counters counters(String metrics) {
        long received = 0;
        long late = 0;
        Map<Integer, Long> perPartition = new HashMap<>();
        for (String line : metrics.split("\n")) {
            Matcher m = SERIES.matcher(line);
            if (!m.matches()) {
                continue;
            }
            long value = (long) Double.parseDouble(m.group(3));
            if (m.group(1).equals("rollup_readings_received_total")) {
                received += value;
                Matcher p = PARTITION.matcher(m.group(2));
                if (p.find()) {
                    perPartition.merge(Integer.parseInt(p.group(1)), value, Long::sum);
                }
            } else if (m.group(2).contains("reason=\"late\"")) {
                late += value;
            }
        }
        return new Counters(received, late, perPartition);
    }
}
