package io.sensorrollup.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The partition lines of one pod's log (Quarkus' console format, local time to the millisecond), from an instant on. */
final class PodLog {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");
    private static final Pattern ASSIGNED = Pattern.compile("Partition (\\d+) assigned to this consumer: restoring it");
    private static final String TIME = "([\\d.]+ m?s)";
    private static final Pattern RUNNING = Pattern.compile("Partition (\\d+) switched to RUNNING: (?:restored from checkpoint"
            + " (\\d+) \\(.*\\) in " + TIME + ", of which " + TIME + " fetching it \\(([^)]*) downloaded\\), " + TIME
            + " checking the source, " + TIME + " opening the state, and claiming it meanwhile|no checkpoint.*ready in " + TIME + ")");
    private static final Pattern CLAIMED = Pattern.compile("Partition (\\d+) claimed as checkpoint \\d+ in " + TIME + ", while running");
    private static final Pattern CLAIM_LOST = Pattern.compile("Partition (\\d+): the previous owner committed a checkpoint meanwhile");
    private static final Pattern MOVED_AWAY = Pattern.compile("Partition (\\d+) moved to another consumer: stopped processing it");
    private static final Pattern HANDED_OVER = Pattern.compile("Partition (\\d+) handed over: (\\d+) readings processed here");

    /**
     * Partition {@code partition} restored here: assigned at, running at (epoch ms), and the restore's own durations;
     * the claim's ({@code claimMs}, NaN until it has landed) runs after it, while the partition runs.
     */
    record Restore(int partition, long assignedAt, long runningAt, Long checkpoint, double restoreMs, double fetchMs,
            String downloaded, double checkMs, double openMs, double claimMs) {
    }

    record HandOver(int partition, long at, long readings) {
    }

    private final Path file;

    PodLog(Path file) {
        this.file = file;
    }

    /** The first restore of {@code partition} that switched to RUNNING at or after {@code since}. */
    Optional<Restore> restoreSince(int partition, long since) throws IOException {
        long assigned = -1;
        boolean claimLost = false;
        List<String> lines = lines(since);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher a = ASSIGNED.matcher(line);
            if (a.find() && Integer.parseInt(a.group(1)) == partition && !claimLost) {
                assigned = at(line);
            }
            Matcher r = RUNNING.matcher(line);
            if (r.find() && Integer.parseInt(r.group(1)) == partition) {
                if (restoredAgain(partition, lines.subList(i + 1, lines.size()))) {
                    claimLost = true; // it runs from the next restore on; the assignment stays this one
                    continue;
                }
                boolean fromCheckpoint = r.group(2) != null;
                return Optional.of(fromCheckpoint
                        ? new Restore(partition, assigned, at(line), Long.valueOf(r.group(2)), millis(r.group(3)),
                                millis(r.group(4)), r.group(5), millis(r.group(6)), millis(r.group(7)),
                                claimAfter(partition, lines.subList(i + 1, lines.size())))
                        : new Restore(partition, assigned, at(line), null, millis(r.group(8)), 0, "0 B", 0, 0, 0));
            }
        }
        return Optional.empty();
    }

    /** Whether the claim of this restore lost: the partition restores again, and what it processed is dropped. */
    private static boolean restoredAgain(int partition, List<String> later) {
        for (String line : later) {
            Matcher c = CLAIMED.matcher(line);
            if (c.find() && Integer.parseInt(c.group(1)) == partition) {
                return false;
            }
            Matcher l = CLAIM_LOST.matcher(line);
            if (l.find() && Integer.parseInt(l.group(1)) == partition) {
                return true;
            }
        }
        return false;
    }

    private static double claimAfter(int partition, List<String> lines) {
        for (String line : lines) {
            Matcher c = CLAIMED.matcher(line);
            if (c.find() && Integer.parseInt(c.group(1)) == partition) {
                return millis(c.group(2));
            }
            Matcher r = RUNNING.matcher(line);
            if (r.find() && Integer.parseInt(r.group(1)) == partition) {
                break; // restored again: that claim lost or failed
            }
        }
        return Double.NaN;
    }

    /** When this pod first stopped processing {@code partition} because Pulsar moved it away, at or after {@code since}. */
    Optional<Long> movedAwaySince(int partition, long since) throws IOException {
        for (String line : lines(since)) {
            Matcher m = MOVED_AWAY.matcher(line);
            if (m.find() && Integer.parseInt(m.group(1)) == partition) {
                return Optional.of(at(line));
            }
        }
        return Optional.empty();
    }

    List<HandOver> handOversSince(long since) throws IOException {
        List<HandOver> out = new ArrayList<>();
        for (String line : lines(since)) {
            Matcher h = HANDED_OVER.matcher(line);
            if (h.find()) {
                out.add(new HandOver(Integer.parseInt(h.group(1)), at(line), Long.parseLong(h.group(2))));
            }
        }
        return out;
    }

    private List<String> lines(long since) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file)) {
            if (line.contains("Partition ") && at(line) >= since) {
                out.add(line);
            }
        }
        return out;
    }

    private static long at(String line) {
        try {
            return LocalDateTime.parse(line.substring(0, 23), STAMP).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
        } catch (RuntimeException notAStamp) {
            return -1;
        }
    }

    private static double millis(String text) {
        String[] parts = text.split(" ");
        return Double.parseDouble(parts[0]) * (parts[1].equals("s") ? 1000 : 1);
    }
}
