package io.sensorrollup.it;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * A round's faults, drawn from its seed: the same seed gives the same schedule, so a failing round replays
 * with {@code dev/chaos --seed S --rounds 1}. Faults come one after another, and about one in three starts
 * while the one before it still holds.
 */
record FaultPlan(long seed, List<Fault> faults) {

    enum Kind {
        KILL("SIGKILL of an instance, restarted"),
        TERM("SIGTERM of an instance, restarted"),
        STOP("SIGSTOP of an instance, then SIGCONT"),
        KILL_IN_CHECKPOINT("SIGKILL of an instance held in a checkpoint (before its manifest or its ack)"),
        BROKER_RESTART("the broker stopped and started"),
        BROKER_STOP("the broker hung (SIGSTOP)"),
        S3_DOWN("s3proxy down"),
        S3_STOP("s3proxy hung (SIGSTOP)"),
        CLICKHOUSE_DOWN("ClickHouse down"),
        CLICKHOUSE_STOP("ClickHouse hung (SIGSTOP)"),
        POSTGRES_DOWN("PostgreSQL down"),
        POSTGRES_STOP("PostgreSQL hung (SIGSTOP)"),
        JOIN("an extra instance joins, then leaves");

        final String description;

        Kind(String description) {
            this.description = description;
        }
    }

    /** {@code kind} on {@code instance} (instance faults) at {@code atMillis} into the round, held {@code forMillis}. */
    record Fault(Kind kind, int instance, long atMillis, long forMillis) {

        long endMillis() {
            return atMillis + forMillis;
        }

        @Override
        public String toString() {
            return String.format("%s@%ds+%ds%s", kind.name().toLowerCase(java.util.Locale.ROOT), atMillis / 1000,
                    forMillis / 1000, instanceFault() ? "(i" + instance + ")" : "");
        }

        boolean instanceFault() {
            return kind == Kind.KILL || kind == Kind.TERM || kind == Kind.STOP || kind == Kind.KILL_IN_CHECKPOINT;
        }
    }

    /**
     * Faults for {@code faultMillis} of a round with {@code instances} instances. With {@code longOutage}, one
     * ClickHouse or PostgreSQL outage lasts {@code outageMillis}, long enough to fill the outbox.
     */
    static FaultPlan draw(long seed, long faultMillis, int instances, long longOutageMillis) {
        SplittableRandom random = new SplittableRandom(seed);
        Kind[] kinds = Kind.values();
        List<Fault> faults = new ArrayList<>();
        long at = 15_000;
        long previousEnd = 0;
        boolean outage = false;
        Map<String, Long> busyUntil = new java.util.HashMap<>();
        while (at < faultMillis) {
            Kind kind = kinds[random.nextInt(kinds.length)];
            int instance = random.nextInt(instances);
            // one fault at a time per server and per instance: a second one waits for the first to end
            at = Math.max(at, busyUntil.getOrDefault(target(kind, instance), 0L) + 2_000);
            if (at >= faultMillis) {
                break;
            }
            long duration = duration(kind, random);
            if (!outage && (kind == Kind.CLICKHOUSE_DOWN || kind == Kind.POSTGRES_DOWN)) {
                duration = Math.max(duration, longOutageMillis);
                outage = true;
            }
            duration = Math.min(duration, Math.max(5_000, faultMillis - at));
            Fault fault = new Fault(kind, instance, at, duration);
            faults.add(fault);
            busyUntil.put(target(kind, instance), fault.endMillis() + (kind == Kind.BROKER_RESTART ? 30_000 : 0));
            previousEnd = Math.max(previousEnd, fault.endMillis());
            at = random.nextInt(3) == 0 ? at + 3_000 + random.nextLong(Math.max(1, duration / 2))
                    : previousEnd + 5_000 + random.nextLong(15_000);
        }
        return new FaultPlan(seed, faults);
    }

    private static String target(Kind kind, int instance) {
        return switch (kind) {
            case KILL, TERM, STOP, KILL_IN_CHECKPOINT -> "instance-" + instance;
            case BROKER_RESTART, BROKER_STOP -> "broker";
            case S3_DOWN, S3_STOP -> "s3";
            case CLICKHOUSE_DOWN, CLICKHOUSE_STOP -> "clickhouse";
            case POSTGRES_DOWN, POSTGRES_STOP -> "postgres";
            case JOIN -> "join";
        };
    }

    /** The ranges of the issue: instance pauses 5-60 s, a hung broker 5-30 s, S3 and the stores 10-120 s. */
    private static long duration(Kind kind, SplittableRandom random) {
        return switch (kind) {
            case KILL, TERM -> 2_000 + random.nextLong(15_000); // down before the restart
            case STOP -> 5_000 + random.nextLong(55_000);
            case KILL_IN_CHECKPOINT -> 30_000;
            case BROKER_RESTART -> 1_000 + random.nextLong(10_000);
            case BROKER_STOP -> 5_000 + random.nextLong(25_000);
            case S3_DOWN, S3_STOP, CLICKHOUSE_DOWN, CLICKHOUSE_STOP, POSTGRES_DOWN, POSTGRES_STOP ->
                    10_000 + random.nextLong(110_000);
            case JOIN -> 10_000 + random.nextLong(50_000);
        };
    }

    Map<Kind, Long> counts() {
        return faults.stream().collect(Collectors.groupingBy(Fault::kind, () -> new EnumMap<>(Kind.class),
                Collectors.counting()));
    }

    @Override
    public String toString() {
        return "seed " + seed + ": " + faults.stream().map(Fault::toString).collect(Collectors.joining(" "));
    }
}
