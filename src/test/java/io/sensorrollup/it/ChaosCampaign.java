package io.sensorrollup.it;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code dev/chaos [--rounds N] [--seed S] [--minutes M] [--instances 2|3] [--rate R] [--devices D]}: rounds of
 * {@link ChaosRound}, one line each, a table of faults at the end; exits 1 when any round found a difference.
 * Round k of a campaign seeded S has seed S + k, so {@code --seed S+k --rounds 1} replays it.
 */
public final class ChaosCampaign {

    private ChaosCampaign() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            a.put(args[i].substring(2), args[i + 1]);
        }
        int rounds = Integer.parseInt(a.getOrDefault("rounds", "1"));
        long seed = Long.parseLong(a.getOrDefault("seed", Long.toString(System.currentTimeMillis() % 100_000)));
        double minutes = Double.parseDouble(a.getOrDefault("minutes", "3"));
        int instances = Integer.parseInt(a.getOrDefault("instances", "2"));
        int rate = Integer.parseInt(a.getOrDefault("rate", "300"));
        int devices = Integer.parseInt(a.getOrDefault("devices", "200"));
        List<ChaosRound.Outcome> outcomes = new ArrayList<>();
        for (int k = 0; k < rounds; k++) {
            ChaosRound.Outcome outcome = new ChaosRound(new ChaosRound.Options(seed + k, instances,
                    (long) (minutes * 60_000), rate, devices)).run();
            outcomes.add(outcome);
            System.out.println(line(outcome));
        }
        System.out.println();
        System.out.println(HEADER);
        outcomes.forEach(o -> System.out.println(line(o)));
        Map<FaultPlan.Kind, Long> total = new EnumMap<>(FaultPlan.Kind.class);
        outcomes.forEach(o -> o.plan().counts().forEach((k, n) -> total.merge(k, n, Long::sum)));
        System.out.println("faults injected: " + total.entrySet().stream()
                .map(e -> e.getKey().name().toLowerCase(java.util.Locale.ROOT) + "=" + e.getValue())
                .collect(Collectors.joining(" ")));
        List<ChaosRound.Outcome> failed = outcomes.stream().filter(o -> !o.clean()).toList();
        for (ChaosRound.Outcome o : failed) {
            System.out.println("FAILED " + o.plan());
            o.result().examples().forEach(e -> System.out.println("  " + e));
            o.result().stores().forEach(s -> s.examples().forEach(e -> System.out.println("  " + e)));
            o.faultErrors().forEach(e -> System.out.println("  " + e));
            o.loggedErrors().forEach(e -> System.out.println("  logged " + e));
            System.out.println("  replay: dev/chaos --seed " + o.plan().seed() + " --rounds 1 --minutes " + minutes
                    + " --instances " + instances);
        }
        System.out.println(failed.isEmpty() ? "chaos: all " + rounds + " rounds clean" : "chaos: " + failed.size()
                + " of " + rounds + " rounds FAILED");
        System.exit(failed.isEmpty() ? 0 : 1);
    }

    static final String HEADER = "seed   faults published valid rows dead(exp/found) late(ambiguous/unexpected) "
            + "| store: rows missing extra dup differing maxver | exits | result";

    static String line(ChaosRound.Outcome o) {
        ChaosCheck.Result r = o.result();
        StringBuilder s = new StringBuilder(String.format("%-6d %6d %9d %5d %4d %7d/%-7d %5d/%-5d", o.plan().seed(),
                o.plan().faults().size(), r.published(), r.valid(), r.rowsExpected(), r.deadExpected(), r.deadFound(),
                r.ambiguousLate(), r.unexpectedLate()));
        for (ChaosCheck.StoreResult store : r.stores()) {
            s.append(String.format(" | %s: %d %d %d %d %d v%d", store.store(), store.rows(), store.missing(),
                    store.extra(), store.duplicated(), store.differingCells(), store.maxVersion()));
        }
        s.append(" | exits ").append(o.unexpectedExits().size());
        if (!o.unexpectedExits().isEmpty()) {
            s.append(" ").append(o.unexpectedExits());
        }
        s.append(" | ").append(o.clean() ? "ok" : "FAILED").append(" (").append(o.took().toSeconds()).append(" s)");
        return s.toString();
    }
}
