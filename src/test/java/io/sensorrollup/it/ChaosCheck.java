package io.sensorrollup.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The campaign's judge: the rows the ledger must produce, computed with the ITs' reference aggregator (which shares
 * no code with the engine), compared cell by cell with each store, and the dead letters it must produce.
 *
 * <p>What is late is the contract's (section 2), decided per partition in the broker's order. A partition's
 * watermark is at least {@code max(timestamp so far) - out-of-orderness}: a reading whose window ends at or below
 * that is late, in every run. It can be higher only after an idle advance, and a partition advances idle only when
 * it is caught up and silent for {@code idle-timeout}: then the broker had nothing for it for that long, which
 * shows in the ledger as a gap of at least {@code idle-timeout} between two publish times of the partition. After
 * such a gap the watermark is at most {@code max(timestamp) + gap - out-of-orderness} (plus a slack for the
 * delivery). A reading between the two bounds may be late or not: the dead-letter topic says which it was, and the
 * reference follows it. A late rejection above the upper bound is a loss; a reading at or below the lower bound
 * that was aggregated is a difference.
 */
final class ChaosCheck {

    static final long SLACK_MILLIS = 5_000;

    record StoreResult(String store, long rows, long missing, long extra, long duplicated, long differingCells,
            long maxVersion, List<String> examples) {

        boolean clean() {
            return missing == 0 && extra == 0 && duplicated == 0 && differingCells == 0;
        }
    }

    record Result(long published, long valid, long rowsExpected, long deadExpected, long deadFound,
            long deadMissing, long deadExtra, long unexpectedLate, long ambiguousLate, List<StoreResult> stores,
            List<String> examples) {

        boolean clean() {
            return deadMissing == 0 && deadExtra == 0 && unexpectedLate == 0
                    && stores.stream().allMatch(StoreResult::clean);
        }
    }

    private final long outOfOrderness;
    private final long idleTimeout;
    private final ReferenceRows reference = new ReferenceRows();
    /** The dead letters the ledger calls for, by source message id, with why (for the failure message). */
    private final Map<String, String> deadExpected = new HashMap<>();
    private final List<String> examples = new ArrayList<>();
    private long published;
    private long unexpectedLate;
    private long ambiguousLate;

    ChaosCheck(long outOfOrdernessMillis, long idleTimeoutMillis) {
        this.outOfOrderness = outOfOrdernessMillis;
        this.idleTimeout = idleTimeoutMillis;
    }

    /** Judges the readings of the ledger against the dead letters the service wrote; then {@link #compare}. */
    Result judge(List<List<Ledger.Entry>> ledger, Map<String, Ledger.DeadLetter> deadLetters,
            Map<String, List<Map<String, Object>>> storedRows, Map<String, Long> timeResolution) {
        ObjectMapper json = new ObjectMapper();
        for (List<Ledger.Entry> partition : ledger) {
            long maxTimestamp = Long.MIN_VALUE;
            long upper = Long.MIN_VALUE;
            long previousPublish = Long.MIN_VALUE;
            for (Ledger.Entry entry : partition) {
                published++;
                if (previousPublish != Long.MIN_VALUE && maxTimestamp != Long.MIN_VALUE
                        && entry.publishTime() - previousPublish >= idleTimeout - SLACK_MILLIS) {
                    upper = Math.max(upper, maxTimestamp + entry.publishTime() - previousPublish + SLACK_MILLIS
                            - outOfOrderness);
                }
                previousPublish = entry.publishTime();
                JsonNode r = parse(json, entry.payload());
                Ledger.DeadLetter letter = deadLetters.get(entry.id());
                if (!ReferenceRows.isValid(r, entry.publishTime())) {
                    deadExpected.put(entry.id(), "invalid, published at " + entry.publishTime() + ": "
                            + abbreviated(entry.payload()));
                    if (letter != null && "late".equals(letter.error())) {
                        example("invalid reading dead-lettered as late: " + entry.id());
                        unexpectedLate++;
                    }
                    continue;
                }
                long ts = r.path("timestamp").asLong();
                long windowEnd = ReferenceRows.windowStart(ts) + 60_000;
                long lower = maxTimestamp == Long.MIN_VALUE ? Long.MIN_VALUE : maxTimestamp - outOfOrderness;
                upper = Math.max(upper, lower);
                boolean rejectedLate = letter != null && "late".equals(letter.error());
                boolean late;
                if (windowEnd <= lower) {
                    late = true;
                } else if (windowEnd <= upper) {
                    late = rejectedLate;
                    if (late) {
                        ambiguousLate++;
                    }
                } else {
                    late = false;
                    if (rejectedLate) {
                        unexpectedLate++;
                        example("late rejection the contract does not allow: " + entry.id() + " window end "
                                + windowEnd + ", watermark at most " + upper);
                    }
                }
                if (late) {
                    deadExpected.put(entry.id(), "late, window end " + windowEnd + ", watermark at least " + lower);
                } else {
                    reference.add(r);
                    maxTimestamp = Math.max(maxTimestamp, ts);
                }
            }
        }
        List<String> missingLetters = deadExpected.keySet().stream().filter(id -> !deadLetters.containsKey(id)).sorted().toList();
        long deadMissing = missingLetters.size();
        missingLetters.stream().limit(3).forEach(id -> example("dead letter missing for " + id + " (" + deadExpected.get(id) + ")"));
        long deadExtra = deadLetters.keySet().stream().filter(id -> !deadExpected.containsKey(id)).count();
        deadLetters.values().stream().filter(d -> !deadExpected.containsKey(d.sourceId())).limit(3)
                .forEach(d -> example("unexpected dead letter (" + d.error() + ") for " + d.sourceId() + ": "
                        + new String(d.payload(), StandardCharsets.UTF_8)));
        List<StoreResult> stores = new ArrayList<>();
        storedRows.forEach((store, rows) -> stores.add(compare(store, rows, timeResolution.get(store))));
        return new Result(published, reference.validReadings(), reference.windows(), deadExpected.size(),
                deadLetters.size(), deadMissing, deadExtra, unexpectedLate, ambiguousLate, stores, examples);
    }

    private StoreResult compare(String store, List<Map<String, Object>> rows, long timeResolutionMillis) {
        List<String> notes = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        long extra = 0;
        long duplicated = 0;
        long differing = 0;
        long maxVersion = 0;
        for (Map<String, Object> row : rows) {
            String key = ReferenceRows.key(row);
            maxVersion = Math.max(maxVersion, (Long) row.get("version"));
            if (seen.merge(key, 1, Integer::sum) > 1) {
                duplicated++;
                note(notes, store + ": row twice: " + key);
                continue;
            }
            if (!reference.keys().contains(key)) {
                extra++;
                note(notes, store + ": extra row " + key);
                continue;
            }
            List<String> cells = reference.differingColumns(row, timeResolutionMillis);
            differing += cells.size();
            if (!cells.isEmpty()) {
                note(notes, store + ": " + key + " " + cells);
            }
        }
        long missing = reference.keys().stream().filter(k -> !seen.containsKey(k)).count();
        reference.keys().stream().filter(k -> !seen.containsKey(k)).limit(3).forEach(k -> note(notes, store + ": missing " + k));
        return new StoreResult(store, rows.size(), missing, extra, duplicated, differing, maxVersion, notes);
    }

    private void example(String text) {
        if (examples.size() < 10) {
            examples.add(text);
        }
    }

    private static void note(List<String> notes, String text) {
        if (notes.size() < 10) {
            notes.add(text);
        }
    }

    private static String abbreviated(byte[] payload) {
        String text = new String(payload, 0, Math.min(payload.length, 120), StandardCharsets.UTF_8);
        return payload.length > 120 ? text + "... (" + payload.length + " bytes)" : text;
    }

    private static JsonNode parse(ObjectMapper json, byte[] payload) {
        try {
            return json.readTree(payload);
        } catch (IOException malformed) {
            return null;
        }
    }
}
