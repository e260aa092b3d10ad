package io.sensorrollup.sink;

import io.sensorrollup.state.OutboxEntry;
import io.sensorrollup.window.WindowRow;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Writes rows to one sink so that a row the store refuses for its content does not keep the others out: a batch
 * refused that way is split in halves, each written on its own, until every refused row is alone. For one refused
 * row in a batch of n that costs about 2·log2(n) more writes. A failure that is not about the content (the store
 * is down) fails the whole write, to be retried; halves already stored are then written again, which the stores
 * take as a replay.
 */
public final class RefusalIsolation {

    private final RowSink sink;
    private final int partition;
    private final List<OutboxEntry> entries;
    private final List<WindowRow> rows;

    private RefusalIsolation(RowSink sink, int partition, List<OutboxEntry> entries, List<WindowRow> rows) {
        this.sink = sink;
        this.partition = partition;
        this.entries = entries;
        this.rows = rows;
    }

    /**
     * Writes {@code rows} ({@code entries} decoded) to {@code sink}. Completes with the rows the store refused for
     * their content (it took all the others), or exceptionally when it may have taken none, some or all.
     */
    public static CompletionStage<List<Refusal>> write(RowSink sink, int partition, List<OutboxEntry> entries, List<WindowRow> rows) {
        if (rows.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return new RefusalIsolation(sink, partition, entries, rows).attempt(0, rows.size());
    }

    private CompletionStage<List<Refusal>> attempt(int from, int to) {
        CompletionStage<Void> written;
        try {
            written = sink.write(rows.subList(from, to));
        } catch (RuntimeException e) { // a client that fails before it sends
            written = CompletableFuture.failedFuture(e);
        }
        return written.<List<Refusal>>thenApply(ok -> List.of()).exceptionallyCompose(failure -> {
            if (!sink.refusesContent(failure)) {
                return CompletableFuture.failedFuture(failure);
            }
            if (to - from == 1) {
                return CompletableFuture.completedFuture(List.of(Refusal.of(sink.name(), partition, entries.get(from).seq(),
                        rows.get(from), Failures.rootMessage(failure))));
            }
            int middle = (from + to) >>> 1;
            return attempt(from, middle).thenCompose(left -> attempt(middle, to).thenApply(right -> {
                List<Refusal> both = new ArrayList<>(left);
                both.addAll(right);
                return both;
            }));
        });
    }
}
