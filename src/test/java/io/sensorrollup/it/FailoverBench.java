package io.sensorrollup.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * {@code dev/bench failover}: instances of the packaged service on one Failover subscription under the simulator's
 * load; each round injects one event (SIGKILL of an instance, SIGTERM of one, a rolling restart of all, or a
 * scale-up: one instance started under load beside the others, where an autoscaler would start it) and measures how long the moved partitions stood still, where that time went, what was processed twice, the extra
 * backlog, and late readings. Between events the load stops, everything drains and the stopped instance comes back,
 * so each event's counts are exact (a killed life's are as of a sample taken right before the kill).
 */
public final class FailoverBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private record Point(long at, long published, long processed) {
        long lag() {
            return published - processed;
        }
    }

    /** One event's figures; NaN where it does not apply. */
    private record Result(String event, double allRunningS, double noticeS, double finalCheckpointS, double restoreS,
            double fetchS, double checkS, double openS, double claimS, long replayed, long peakBacklog, double backlogS,
            long late, double rollS, int moved) {

        Result counted(long replayed, long late) {
            return new Result(event, allRunningS, noticeS, finalCheckpointS, restoreS, fetchS, checkS, openS, claimS,
                    replayed, peakBacklog, backlogS, late, rollS, moved);
        }
    }

    private final Map<String, String> options;
    private final int rate;
    private final int partitions;
    private final Map<String, String> env = LocalServersResource.servers().env();
    private final IsolatedRun run;
    private final List<BenchPod> pods = new ArrayList<>();
    private final List<Point> points = new CopyOnWriteArrayList<>();
    private volatile boolean sampling = true;

    private FailoverBench(Map<String, String> options) {
        this.options = options;
        this.rate = Integer.parseInt(options.get("rate"));
        this.partitions = Integer.parseInt(options.get("partitions"));
        this.run = IsolatedRun.create("failover-bench", partitions);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of("instances", "2", "rate", "30000", "rounds", "5",
                "events", "term,kill,roll", "interval", "10s", "partitions", "8", "devices", "500", "warm-s", "10",
                "after-s", "10"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            String key = args[i].replaceFirst("^--", "");
            if (!options.containsKey(key)) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + options.keySet());
            }
            options.put(key, args[i + 1]);
        }
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("every option takes a value: " + Arrays.toString(args));
        }
        FailoverBench bench = new FailoverBench(options);
        try {
            bench.run();
        } finally {
            bench.close();
        }
        System.exit(0); // the HTTP and sampler threads
    }

    private void run() throws Exception {
        System.out.printf("failover: %s; broker activeConsumerFailoverDelayTimeMillis=%s; topic %s%n", options,
                brokerFailoverDelay(), run.topic());
        Corpus.createTopic(env.get("PULSAR_ADMIN_URL"), run.topic(), partitions);
        int instances = Integer.parseInt(options.get("instances"));
        for (int i = 0; i < instances; i++) {
            Map<String, String> config = run.serviceConfig("pod-" + i);
            config.put("rollup.checkpoint.interval", options.get("interval"));
            config.put("rollup.sink", "clickhouse");
            BenchPod pod = new BenchPod("pod-" + i, run.id() + "-pod-" + i, config, List.of("-Xmx1g"));
            pod.start();
            pods.add(pod);
        }
        awaitCoverage();
        Thread sampler = new Thread(this::sample, "failover-sampler");
        sampler.setDaemon(true);
        sampler.start();

        List<Result> results = new ArrayList<>();
        int rounds = Integer.parseInt(options.get("rounds"));
        List<String> events = List.of(options.get("events").split(","));
        for (int round = 1; round <= rounds; round++) {
            for (String event : events) {
                Result r = round(event, pods.get((round - 1) % pods.size()));
                results.add(r);
                print("RESULT round " + round, r);
            }
        }
        for (String event : events) {
            List<Result> of = results.stream().filter(r -> r.event().equals(event)).toList();
            print("MEDIAN of " + of.size(), median(event, of));
        }
        checkRows();
    }

    private Result round(String event, BenchPod victim) throws Exception {
        if (event.equals("scale")) {
            // one instance fewer before the load, so the round starts it under load
            victim.terminate();
            awaitCoverage();
        }
        long published0 = published();
        long processed0 = processed();
        long late0 = late();
        Process simulator = simulate(event.equals("roll") ? 3600 : Integer.parseInt(options.get("warm-s"))
                + Integer.parseInt(options.get("after-s")));
        try {
            Thread.sleep(TimeUnit.SECONDS.toMillis(Long.parseLong(options.get("warm-s"))));
            Result r = switch (event) {
                case "kill", "term" -> handOver(event, victim);
                case "roll" -> roll();
                case "scale" -> scaleUp(victim);
                default -> throw new IllegalArgumentException("unknown event " + event + " (kill, term, roll, scale)");
            };
            if (event.equals("roll")) {
                Thread.sleep(TimeUnit.SECONDS.toMillis(Long.parseLong(options.get("after-s"))));
                simulator.destroy();
            }
            simulator.waitFor();
            awaitDrained();
            long replayed = (processed() - processed0) - (published() - published0);
            Result done = r.counted(replayed, late() - late0);
            // every reading checkpointed before the pod comes back, so its return replays nothing and moves
            // partitions on a quiet topic
            Thread.sleep(intervalMillis() + 2_000);
            if (!victim.alive()) {
                victim.start();
            }
            awaitCoverage();
            return done;
        } finally {
            simulator.destroyForcibly();
        }
    }

    /** One kill or stop: the victim's partitions are RUNNING elsewhere, and the extra backlog is gone. */
    private Result handOver(String event, BenchPod victim) throws Exception {
        Set<Integer> moved = victim.owned();
        long baseline = baselineLag();
        long at = event.equals("kill") ? victim.kill() : victim.terminate();
        Map<Integer, PodLog.Restore> restores = awaitRunning(moved, at, victim);
        double finalCheckpoint = Double.NaN;
        if (event.equals("term")) {
            finalCheckpoint = victim.log().handOversSince(at).stream().mapToLong(PodLog.HandOver::at).max().orElse(at) - at;
        }
        long[] backlog = extraBacklog(at, baseline);
        restores = awaitRunning(moved, at, victim); // read again: the claims land while the partitions run
        PodLog.Restore last = restores.values().stream().max((a, b) -> Long.compare(a.runningAt(), b.runningAt())).orElseThrow();
        System.out.printf("%s of %s at %d: partitions %s RUNNING again after %s ms%n", event, victim.name, at, moved,
                restores.values().stream().map(r -> r.partition() + "=" + (r.runningAt() - at) + "(ckpt " + r.checkpoint() + ", "
                        + r.downloaded() + ")").toList());
        return new Result(event, (last.runningAt() - at) / 1000.0, (last.assignedAt() - at) / 1000.0, finalCheckpoint / 1000.0,
                last.restoreMs() / 1000.0, last.fetchMs() / 1000.0, last.checkMs() / 1000.0, last.openMs() / 1000.0,
                last.claimMs() / 1000.0, 0, backlog[0], backlog[1] / 1000.0, 0, Double.NaN, moved.size());
    }

    /** Every instance in turn: SIGTERM, start, ready, as a StatefulSet's rolling update. */
    private Result roll() throws Exception {
        long baseline = baselineLag();
        long started = System.currentTimeMillis();
        double worst = 0;
        for (BenchPod pod : pods) {
            Set<Integer> moved = pod.owned();
            long at = pod.terminate();
            Map<Integer, PodLog.Restore> restores = awaitRunning(moved, at, pod);
            worst = Math.max(worst, restores.values().stream().mapToLong(r -> r.runningAt() - at).max().orElse(0));
            pod.start();
            awaitCoverage();
        }
        double roll = (System.currentTimeMillis() - started) / 1000.0;
        long[] backlog = extraBacklog(started, baseline);
        return new Result("roll", worst / 1000.0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, 0, backlog[0], backlog[1] / 1000.0, 0, roll, partitions);
    }

    /**
     * One more instance under load: the partitions Pulsar gives it are RUNNING there, and the extra backlog is gone.
     * A moved partition stands still from the moment its old owner stops processing it (its "moved to another
     * consumer" line) until it is RUNNING on the new instance; the figures are the longest such standstill's.
     */
    private Result scaleUp(BenchPod added) throws Exception {
        long baseline = baselineLag();
        long at = System.currentTimeMillis();
        added.start();
        long ready = System.currentTimeMillis();
        awaitCoverage();
        Set<Integer> moved = added.owned();
        Map<Integer, PodLog.Restore> restores = new TreeMap<>();
        Map<Integer, Long> stopped = new TreeMap<>();
        for (int p : moved) {
            restores.put(p, added.log().restoreSince(p, at).orElseThrow(
                    () -> new IllegalStateException("partition " + p + " owned by " + added.name + " without a RUNNING line")));
            for (BenchPod pod : pods) {
                if (pod != added) {
                    pod.log().movedAwaySince(p, at).ifPresent(t -> stopped.put(p, t));
                }
            }
            if (!stopped.containsKey(p)) {
                throw new IllegalStateException("partition " + p + " moved to " + added.name + " but no pod logged losing it");
            }
        }
        int worst = moved.stream().max((a, b) -> Long.compare(restores.get(a).runningAt() - stopped.get(a),
                restores.get(b).runningAt() - stopped.get(b))).orElseThrow();
        long[] backlog = extraBacklog(at, baseline);
        PodLog.Restore last = added.log().restoreSince(worst, at).orElseThrow(); // read again, with its claim
        long from = stopped.get(worst);
        System.out.printf("scale-up to %d instances at %d, ready after %d ms: %d of %d partitions moved to %s, standing"
                        + " still for %s ms%n", pods.size(), at, ready - at, moved.size(), partitions, added.name,
                moved.stream().map(p -> p + "=" + (restores.get(p).runningAt() - stopped.get(p)) + "(ckpt "
                        + restores.get(p).checkpoint() + ", " + restores.get(p).downloaded() + ")").toList());
        return new Result("scale", (last.runningAt() - from) / 1000.0, (last.assignedAt() - from) / 1000.0, Double.NaN,
                last.restoreMs() / 1000.0, last.fetchMs() / 1000.0, last.checkMs() / 1000.0, last.openMs() / 1000.0,
                last.claimMs() / 1000.0, 0, backlog[0], backlog[1] / 1000.0, 0, Double.NaN, moved.size());
    }

    /** Waits until every partition of {@code moved} switched to RUNNING on another pod since {@code since}. */
    private Map<Integer, PodLog.Restore> awaitRunning(Set<Integer> moved, long since, BenchPod from) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        Map<Integer, PodLog.Restore> found = new TreeMap<>();
        while (found.size() < moved.size()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("partitions " + moved + " not all RUNNING again 120 s after the event: " + found.keySet());
            }
            for (int p : moved) {
                if (!found.containsKey(p)) {
                    for (BenchPod pod : pods) {
                        Optional<PodLog.Restore> r = pod == from ? Optional.empty() : pod.log().restoreSince(p, since);
                        if (r.isPresent()) {
                            found.put(p, r.get());
                            break;
                        }
                    }
                }
            }
            Thread.sleep(100);
        }
        return found;
    }

    /** The median lag of the 3 s before now: what is in flight in steady state. */
    private long baselineLag() {
        long since = System.currentTimeMillis() - 3_000;
        long[] lags = points.stream().filter(p -> p.at() >= since).mapToLong(Point::lag).sorted().toArray();
        return lags.length == 0 ? 0 : lags[lags.length / 2];
    }

    /**
     * Waits until the lag is back within half a second of input of its baseline; then the peak extra lag since
     * {@code since} and how long it lasted (ms). A replayed reading counts as processed again, so during a replay
     * the lag understates what is still new by up to what is replayed.
     */
    private long[] extraBacklog(long since, long baseline) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        long peak = 0;
        long over = since;
        while (System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
            peak = 0;
            over = since;
            for (Point p : points) {
                if (p.at() >= since) {
                    peak = Math.max(peak, p.lag() - baseline);
                    if (p.lag() - baseline > rate / 2) {
                        over = p.at();
                    }
                }
            }
            if (System.currentTimeMillis() - over > 1_000) {
                break;
            }
        }
        return new long[] {peak, over - since};
    }

    private void awaitDrained() throws Exception {
        long stableSince = System.currentTimeMillis();
        long last = -1;
        while (System.currentTimeMillis() - stableSince < 3_000) {
            Thread.sleep(200);
            long now = processed() + published();
            if (now != last) {
                last = now;
                stableSince = System.currentTimeMillis();
            }
        }
    }

    /** Every partition owned by a live pod, each live pod owning some, for 2 s in a row (a returning pod gets its share). */
    private void awaitCoverage() throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        long coveredSince = -1;
        while (System.currentTimeMillis() < deadline) {
            int owned = 0;
            boolean eachOwns = true;
            for (BenchPod pod : pods) {
                if (pod.alive()) {
                    try {
                        int mine = pod.owned().size();
                        owned += mine;
                        eachOwns &= mine > 0 || pods.size() > partitions;
                    } catch (IOException notYet) {
                        eachOwns = false;
                    }
                }
            }
            if (eachOwns && owned == partitions) {
                coveredSince = coveredSince < 0 ? System.currentTimeMillis() : coveredSince;
                if (System.currentTimeMillis() - coveredSince >= 2_000) {
                    return;
                }
            } else {
                coveredSince = -1;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the pods did not share every partition within 120 s");
    }

    private void sample() {
        while (sampling) {
            try {
                long published = published();
                pods.forEach(BenchPod::sample);
                points.add(new Point(System.currentTimeMillis(), published, processed()));
                Thread.sleep(100);
            } catch (Exception e) {
                // the broker busy: the next sample
            }
        }
    }

    private long processed() {
        return pods.stream().mapToLong(BenchPod::received).sum();
    }

    private long late() {
        return pods.stream().mapToLong(BenchPod::late).sum();
    }

    private long published() throws IOException, InterruptedException {
        HttpResponse<String> stats = HTTP.send(HttpRequest.newBuilder(URI.create(env.get("PULSAR_ADMIN_URL") + "/admin/v2/"
                + run.topic().replace("://", "/") + "/partitioned-stats")).build(), HttpResponse.BodyHandlers.ofString());
        long sum = 0;
        for (Iterator<JsonNode> it = JSON.readTree(stats.body()).path("partitions").elements(); it.hasNext(); ) {
            sum += it.next().path("msgInCounter").asLong();
        }
        return sum;
    }

    private Process simulate(int seconds) throws IOException {
        Path log = Path.of("target", run.id() + "-simulate.log");
        ProcessBuilder builder = new ProcessBuilder("dev/simulate", "--topic", run.topic(), "--rate", Integer.toString(rate),
                "--devices", options.get("devices"), "--seconds", Integer.toString(seconds), "--jitter-ms", "2000")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        return builder.start();
    }

    /** The rows hold every published reading once: nothing lost and nothing counted twice over all the events. */
    private void checkRows() throws Exception {
        long published = published();
        long deadline = System.currentTimeMillis() + 180_000;
        long counted = -1;
        while (System.currentTimeMillis() < deadline) {
            String sum = StoredRows.clickhouseQuery(env, "SELECT sum(message_count) FROM " + run.database()
                    + ".sensor_aggregates FINAL FORMAT TabSeparated").trim();
            counted = sum.isEmpty() ? 0 : Long.parseLong(sum);
            if (counted >= published) {
                break;
            }
            Thread.sleep(2_000);
        }
        System.out.printf("RESULT rows: %d readings in ClickHouse's rows of %d published (%s)%n", counted, published,
                counted == published ? "none lost, none twice" : counted < published ? (published - counted) + " missing"
                        : (counted - published) + " counted twice");
    }

    private long intervalMillis() {
        return java.time.Duration.parse("PT" + options.get("interval").toUpperCase(Locale.ROOT)).toMillis();
    }

    /** The broker's own value, which a conf edited after it started does not change. */
    private String brokerFailoverDelay() throws IOException, InterruptedException {
        HttpResponse<String> conf = HTTP.send(HttpRequest.newBuilder(URI.create(env.get("PULSAR_ADMIN_URL")
                + "/admin/v2/brokers/configuration/runtime")).build(), HttpResponse.BodyHandlers.ofString());
        String millis = JSON.readTree(conf.body()).path("activeConsumerFailoverDelayTimeMillis").asText("?");
        return millis + (millis.equals("1000") ? " (Pulsar's default)" : "");
    }

    private void print(String label, Result r) {
        String split = r.event().equals("roll") ? "the slowest of the pods' hand-overs"
                : String.format(Locale.ROOT, "%sassigned at %.2f s, then restore %.2f s = fetch %.2f + check %.2f + open %.2f,"
                        + " then its claim %.2f while running", r.event().equals("term")
                                ? String.format(Locale.ROOT, "final checkpoint done at %.2f s, ", r.finalCheckpointS()) : "",
                        r.noticeS(), r.restoreS(), r.fetchS(), r.checkS(), r.openS(), r.claimS())
                + (r.event().equals("scale") ? ", counted from the old owner's stop" : "");
        System.out.printf(Locale.ROOT, "%s %s: %d moved partitions all RUNNING after %.2f s (%s); replayed %d; extra backlog"
                        + " peak %d (%.1f s of input), %.1f s long; late %d%s%n", label, r.event(), r.moved(), r.allRunningS(), split,
                r.replayed(), r.peakBacklog(), r.peakBacklog() / (double) rate, r.backlogS(), r.late(),
                Double.isNaN(r.rollS()) ? "" : String.format(Locale.ROOT, "; whole roll %.1f s", r.rollS()));
    }

    private static Result median(String event, List<Result> of) {
        return new Result(event, med(of, Result::allRunningS), med(of, Result::noticeS), med(of, Result::finalCheckpointS),
                med(of, Result::restoreS), med(of, Result::fetchS), med(of, Result::checkS), med(of, Result::openS),
                med(of, Result::claimS), (long) med(of, r -> r.replayed()),
                (long) med(of, r -> r.peakBacklog()), med(of, Result::backlogS), (long) med(of, r -> r.late()), med(of, Result::rollS),
                (int) med(of, r -> r.moved()));
    }

    private static double med(List<Result> of, java.util.function.ToDoubleFunction<Result> f) {
        double[] v = of.stream().mapToDouble(f).sorted().toArray();
        return v.length == 0 ? Double.NaN : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private void close() {
        sampling = false;
        for (BenchPod pod : pods) {
            try {
                pod.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
