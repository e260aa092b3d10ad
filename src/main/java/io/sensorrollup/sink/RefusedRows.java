package io.sensorrollup.sink;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rows the stores currently refuse for their content, on every partition this pod drains: what the metric
 * {@code rollup.sink.refused.rows} counts and the sink's readiness check names. Each partition's drain keeps its
 * own {@link Ledger}; one that closes (the partition moved away) takes its rows with it.
 */
public final class RefusedRows {

    private static final System.Logger LOG = System.getLogger(RefusedRows.class.getName());
    /** New refusals of one partition and sink logged one by one; beyond, one line per doubling. */
    private static final int LOGGED_ONE_BY_ONE = 10;

    private final Set<Ledger> ledgers = ConcurrentHashMap.newKeySet();

    /** Rows {@code sink} refuses now, over all partitions. */
    public int count(String sink) {
        int n = 0;
        for (Ledger ledger : ledgers) {
            n += ledger.count(sink);
        }
        return n;
    }

    /** The refused row of {@code sink} that waits longest (lowest partition, then oldest in its outbox). */
    public Optional<Refusal> oldest(String sink) {
        return ledgers.stream().map(l -> l.first(sink)).flatMap(Optional::stream)
                .min(Comparator.comparingInt(Refusal::partition).thenComparingLong(Refusal::seq));
    }

    Ledger open(int partition) {
        Ledger ledger = new Ledger(partition);
        ledgers.add(ledger);
        return ledger;
    }

    /**
     * One partition's refused rows, per sink, by outbox seq. Thread-safe: the completions of the writes of
     * different sinks record into it at once.
     */
    final class Ledger {

        private final int partition;
        private final Map<String, TreeMap<Long, Refusal>> bySink = new HashMap<>();
        private boolean closed;

        private Ledger(int partition) {
            this.partition = partition;
        }

        synchronized void refused(Refusal refusal) {
            if (closed) {
                return;
            }
            TreeMap<Long, Refusal> rows = bySink.computeIfAbsent(refusal.sink(), s -> new TreeMap<>());
            if (rows.put(refusal.seq(), refusal) == null) {
                int n = rows.size();
                if (n <= LOGGED_ONE_BY_ONE || Integer.bitCount(n) == 1) {
                    LOG.log(Level.WARNING, "Partition {0}: {1}. The row stays in the outbox and is retried; the rows after"
                            + " it are written. {2} row(s) refused by {3} on this partition.", partition, refusal, n,
                            refusal.sink());
                }
            }
        }

        synchronized void stored(String sink, long seq, int attempts) {
            TreeMap<Long, Refusal> rows = bySink.get(sink);
            Refusal was = rows == null ? null : rows.remove(seq);
            if (was != null) {
                LOG.log(Level.INFO, "Partition {0}: {1} took {2} after {3} refused attempt(s)", partition, sink, was.row(),
                        attempts);
            }
        }

        /** The refused rows of {@code sink}, oldest first. */
        synchronized List<Refusal> of(String sink) {
            TreeMap<Long, Refusal> rows = bySink.get(sink);
            return rows == null ? List.of() : new ArrayList<>(rows.values());
        }

        synchronized int count(String sink) {
            TreeMap<Long, Refusal> rows = bySink.get(sink);
            return rows == null ? 0 : rows.size();
        }

        synchronized int total() {
            return bySink.values().stream().mapToInt(Map::size).sum();
        }

        /** The lowest seq any sink refuses, or {@link Long#MAX_VALUE}: the outbox may be deleted up to just before it. */
        synchronized long firstSeq() {
            return bySink.values().stream().filter(m -> !m.isEmpty()).mapToLong(TreeMap::firstKey).min().orElse(Long.MAX_VALUE);
        }

        synchronized Optional<Refusal> first(String sink) {
            TreeMap<Long, Refusal> rows = bySink.get(sink);
            return rows == null || rows.isEmpty() ? Optional.empty() : Optional.of(rows.firstEntry().getValue());
        }

        synchronized Collection<String> sinks() {
            return bySink.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
        }

        synchronized void close() {
            closed = true;
            bySink.clear();
            ledgers.remove(this);
        }
    }
}
