package io.sensorrollup.it;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.PulsarClient;

/**
 * One round of the fault campaign: instances of the packaged service on the local servers, a live fleet, a
 * seeded schedule of faults, then a catch-up and the {@link ChaosCheck} of every row and dead letter.
 */
final class ChaosRound {

    static final int PARTITIONS = 4;
    static final long OUT_OF_ORDERNESS = 5_000;
    static final long IDLE_TIMEOUT = 10_000;

    record Options(long seed, int instances, long faultMillis, int perSecond, int devices) {
    }

    record Outcome(FaultPlan plan, ChaosCheck.Result result, long publishFailures, List<String> unexpectedExits,
            List<String> faultErrors, List<String> loggedErrors, Duration took) {

        boolean clean() {
            return result.clean() && faultErrors.isEmpty();
        }
    }

    private final Options options;
    private final Map<String, String> env = LocalServersResource.servers().env();
    private final List<String> faultErrors = Collections.synchronizedList(new ArrayList<>());

    ChaosRound(Options options) {
        this.options = options;
    }

    Outcome run() throws Exception {
        long began = System.nanoTime();
        // outbox full after ~70 s without a store: 200 devices on 4 partitions close ~50 windows a minute each
        long longOutage = 100_000;
        FaultPlan plan = FaultPlan.draw(options.seed(), options.faultMillis(), options.instances(), longOutage);
        System.out.println("chaos: " + plan);
        IsolatedRun run = IsolatedRun.create("chaos-" + options.seed(), PARTITIONS);
        Map<String, String> common = new LinkedHashMap<>();
        common.put("rollup.sink", "clickhouse,postgresql");
        common.put("rollup.sink.max-delay", "500ms");
        common.put("rollup.sink.max-outbox", "60");
        common.put("rollup.checkpoint.interval", "2s");
        common.put("rollup.window.idle-timeout", IDLE_TIMEOUT / 1000 + "s");
        common.put("rollup.window.max-out-of-orderness", OUT_OF_ORDERNESS / 1000 + "s");
        Corpus.createTopic(env.get("PULSAR_ADMIN_URL"), run.topic(), PARTITIONS);
        Ledger.retain(env.get("PULSAR_ADMIN_URL"), run.topic());
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4);
        ChaosPublisher publisher = null;
        try (PulsarClient client = PulsarClient.builder().serviceUrl(env.get("PULSAR_SERVICE_URL")).build();
                ChaosInstances instances = new ChaosInstances(run, common, options.instances() + 1)) {
            for (int i = 0; i < options.instances(); i++) {
                instances.slot(i).start(Map.of());
            }
            awaitReady(instances);
            scheduler.scheduleWithFixedDelay(() -> {
                try {
                    instances.supervise();
                } catch (IOException e) {
                    faultErrors.add("supervisor: " + e);
                }
            }, 2, 2, TimeUnit.SECONDS);
            publisher = new ChaosPublisher(client, run.topic(), options.seed(), options.devices(), options.perSecond());
            long start = System.currentTimeMillis();
            SplittableRandom random = new SplittableRandom(options.seed() ^ 0x5DEECE66DL);
            for (FaultPlan.Fault fault : plan.faults()) {
                boolean beforeAck = random.nextBoolean();
                scheduler.schedule(() -> inject(fault, instances, beforeAck), fault.atMillis(), TimeUnit.MILLISECONDS);
            }
            long end = plan.faults().stream().mapToLong(FaultPlan.Fault::endMillis).max().orElse(0);
            sleepUntil(start + Math.max(options.faultMillis(), end) + 40_000);
            heal(instances);
            Thread.sleep(10_000);
            publisher.close();
            long closedAt = System.currentTimeMillis();
            System.out.printf("chaos: published %d, %d sends failed%n", publisher.sent(), publisher.failed());
            awaitCaughtUp(run, closedAt);
            ChaosCheck.Result result = check(client, run);
            return new Outcome(plan, result, publisher.failed(), instances.unexpectedExits(), List.copyOf(faultErrors),
                    instances.loggedErrors(5), Duration.ofNanos(System.nanoTime() - began));
        } finally {
            scheduler.shutdownNow();
            if (publisher != null) {
                publisher.close();
            }
            ChaosServers.healAll();
        }
    }

    private void inject(FaultPlan.Fault fault, ChaosInstances instances, boolean beforeAck) {
        System.out.println("chaos: inject " + fault);
        try {
            ChaosInstances.Slot slot = instances.slot(fault.instance());
            switch (fault.kind()) {
                case KILL -> {
                    slot.kill();
                    Thread.sleep(fault.forMillis());
                    slot.start(Map.of());
                }
                case TERM -> {
                    slot.terminate();
                    Thread.sleep(fault.forMillis());
                    slot.start(Map.of());
                }
                case STOP -> {
                    slot.pause();
                    Thread.sleep(fault.forMillis());
                    slot.resume();
                }
                case KILL_IN_CHECKPOINT -> {
                    slot.kill();
                    slot.start(Map.of("sensorrollup.test.pause-at", beforeAck ? "before-ack" : "before-manifest"));
                    long deadline = System.currentTimeMillis() + fault.forMillis();
                    while (System.currentTimeMillis() < deadline && !slot.logged("PAUSED at")) {
                        Thread.sleep(200);
                    }
                    slot.kill();
                    Thread.sleep(1_000);
                    slot.start(Map.of());
                }
                case BROKER_RESTART -> ChaosServers.restart("pulsar", fault.forMillis());
                case BROKER_STOP -> ChaosServers.hang("pulsar", fault.forMillis());
                case S3_DOWN -> ChaosServers.restart("s3", fault.forMillis());
                case S3_STOP -> ChaosServers.hang("s3", fault.forMillis());
                case CLICKHOUSE_DOWN -> ChaosServers.restart("clickhouse", fault.forMillis());
                case CLICKHOUSE_STOP -> ChaosServers.hang("clickhouse", fault.forMillis());
                case POSTGRES_DOWN -> ChaosServers.restart("postgres", fault.forMillis());
                case POSTGRES_STOP -> ChaosServers.hang("postgres", fault.forMillis());
                case JOIN -> {
                    ChaosInstances.Slot extra = instances.slot(options.instances());
                    extra.start(Map.of());
                    Thread.sleep(fault.forMillis());
                    extra.terminate();
                }
            }
        } catch (Exception e) {
            faultErrors.add(fault + ": " + e);
            e.printStackTrace();
        }
        System.out.println("chaos: healed " + fault);
    }

    /** Every server up and running, every base instance running and ready. */
    private void heal(ChaosInstances instances) throws Exception {
        ChaosServers.healAll();
        for (int i = 0; i < options.instances(); i++) {
            instances.slot(i).ensureRunning();
        }
        awaitReady(instances);
    }

    private void awaitReady(ChaosInstances instances) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 180_000;
        for (int i = 0; i < options.instances(); i++) {
            while (!instances.slot(i).isReady()) {
                if (System.currentTimeMillis() > deadline) {
                    faultErrors.add("pod-" + i + " not ready 180 s after the faults");
                    return;
                }
                Thread.sleep(1_000);
            }
        }
    }

    /**
     * The subscription has nothing left, the last windows closed (idle), and both stores stopped changing.
     *
     * @param closedAt when the publisher stopped: the last reading's timestamp is at most this
     */
    private void awaitCaughtUp(IsolatedRun run, long closedAt) throws Exception {
        long deadline = System.currentTimeMillis() + 300_000;
        while (backlog(run) != 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(2_000);
        }
        // The open minute closes once its partitions idle and their watermarks pass its end. An idle watermark is the
        // last timestamp plus the time since the last delivery, less the out-of-orderness: it lags the wall clock by
        // as much as the last delivery lagged the publisher, which is at most until now (nothing left to deliver).
        long caughtUp = System.currentTimeMillis();
        long openMinuteEnd = (closedAt / 60_000 + 1) * 60_000;
        sleepUntil(Math.max(openMinuteEnd + OUT_OF_ORDERNESS + (caughtUp - closedAt), caughtUp + IDLE_TIMEOUT) + 5_000);
        String last = "";
        long stableSince = System.currentTimeMillis();
        while (System.currentTimeMillis() < deadline) {
            String now = StoredRows.clickhouseQuery(env, "SELECT count(), sum(message_count) FROM "
                    + run.database() + ".sensor_aggregates FINAL") + "|"
                    + StoredRows.psql(env, "SELECT count(*), sum(message_count) FROM " + run.database() + ".sensor_aggregates");
            if (!now.equals(last)) {
                last = now;
                stableSince = System.currentTimeMillis();
            } else if (System.currentTimeMillis() - stableSince > 15_000) {
                return;
            }
            Thread.sleep(3_000);
        }
        faultErrors.add("the stores were still changing 300 s after the faults");
    }

    private long backlog(IsolatedRun run) {
        try {
            return Corpus.subscriptionBacklog(env.get("PULSAR_ADMIN_URL"), run.topic());
        } catch (IOException | InterruptedException brokerNotAnswering) {
            return -1;
        }
    }

    private ChaosCheck.Result check(PulsarClient client, IsolatedRun run) throws Exception {
        List<List<Ledger.Entry>> ledger = Ledger.read(client, run.topic(), PARTITIONS);
        Map<String, Ledger.DeadLetter> deadLetters = Ledger.deadLetters(client, run.topic() + "-dlq");
        String db = run.database();
        Map<String, List<Map<String, Object>>> rows = new LinkedHashMap<>();
        rows.put("clickhouse", StoredRows.clickhouse(env, db));
        rows.put("postgresql", StoredRows.postgres(env, db));
        Map<String, Long> resolution = Map.of("clickhouse", StoredRows.clickhouseTimeResolution(env, db), "postgresql", 1L);
        return new ChaosCheck(OUT_OF_ORDERNESS, IDLE_TIMEOUT).judge(ledger, deadLetters, rows, resolution);
    }

    private static void sleepUntil(long millis) throws InterruptedException {
        long wait = millis - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }
}
