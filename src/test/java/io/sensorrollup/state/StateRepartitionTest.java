package io.sensorrollup.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorrollup.window.WindowRow;
import io.sensorrollup.window.WindowRowCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rescale from 4 to 8 partitions in the middle of open windows: every window ends up in the partition its device
 * hashes to, and the rows after it are exactly those of a run on 8 partitions from the start, each emitted once.
 */
class StateRepartitionTest {

    private static final EngineConfig CONFIG = EngineRows.config("1m,5m", Duration.ofMinutes(2));
    private static final long FAR_FUTURE = 10L * 24 * 3600 * 1000;

    @TempDir
    Path tmp;

    @Test
    void windowsOpenAtTheSavepointMoveToTheirDevicesNewPartitionAndEndAsInAnUninterruptedRun() throws Exception {
        List<TestReadings.Msg> msgs = TestReadings.generate(7, 30_000, 60, 10, 0, 0);
        int half = msgs.size() / 2; // 150 s of event time: 1m and 5m windows are open there
        AtomicLong clock = new AtomicLong(1_000_000);
        try (StateResources resources = StateResources.create(32L << 20, 16L << 20)) {
            Map<String, Map<String, Object>> uninterrupted = finalRows(run(msgs, 0, msgs.size(), 8, open(8, "straight", resources, clock), clock));

            List<PartitionProcessor> four = open(4, "before", resources, clock);
            feed(msgs, 0, half, 4, four);
            Map<Integer, Path> savepoint = new TreeMap<>();
            long[] watermarks = new long[4];
            for (int p = 0; p < 4; p++) {
                watermarks[p] = four.get(p).watermark();
                savepoint.put(p, four.get(p).snapshot(tmp.resolve("savepoint-" + p)).dir());
                four.get(p).close(); // its closed rows stay in its outbox, unsent
            }

            List<StateRepartition.Part> parts = StateRepartition.split(savepoint, 8, partitionOf(8), resources, tmp.resolve("split"));

            assertEquals(8, parts.size());
            for (int q = 4; q < 8; q++) {
                assertNull(parts.get(q).position(), "a new partition covers none of its messages");
                assertEquals(watermarks[q - 4], parts.get(q).watermark(), "its clock is that of the partition its windows came from");
            }
            for (int q = 0; q < 4; q++) {
                assertEquals(watermarks[q], parts.get(q).watermark());
                assertTrue(parts.get(q).position() != null, "an old partition keeps its position");
            }
            assertTrue(parts.stream().allMatch(part -> part.windows() > 0), "windows moved to every partition");
            List<PartitionProcessor> eight = new ArrayList<>();
            for (StateRepartition.Part part : parts) {
                eight.add(PartitionProcessor.restore(part.dir(), tmp.resolve("after-" + part.partition()), CONFIG, resources, clock::get));
            }
            List<WindowRow> rescaled = run(msgs, half, msgs.size(), 8, eight, clock);

            Map<String, Long> emissions = new HashMap<>();
            rescaled.forEach(row -> emissions.merge(key(row), 1L, Long::sum));
            assertEquals(List.of(), emissions.entrySet().stream().filter(e -> e.getValue() > 1).toList(), "no window emitted twice");
            assertEquals(uninterrupted, finalRows(rescaled), "every row as in a run on 8 partitions from the start");
        }
    }

    @Test
    void aTopicsPartitionsCanOnlyBeAddedTo() throws Exception {
        try (StateResources resources = StateResources.create(8L << 20, 4L << 20)) {
            Map<Integer, Path> old = Map.of(0, tmp.resolve("a"), 1, tmp.resolve("b"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> StateRepartition.split(old, 1, partitionOf(1), resources, tmp.resolve("split")));
            assertTrue(e.getMessage().contains("2 to 1"), e.getMessage());
        }
    }

    private List<PartitionProcessor> open(int count, String name, StateResources resources, AtomicLong clock) {
        List<PartitionProcessor> processors = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            processors.add(PartitionProcessor.open(tmp.resolve(name + "-" + p), CONFIG, resources, clock::get));
        }
        return processors;
    }

    /** Feeds, closes every window and drains; the processors are closed after. */
    private static List<WindowRow> run(List<TestReadings.Msg> msgs, int from, int to, int partitions,
            List<PartitionProcessor> processors, AtomicLong clock) {
        feed(msgs, from, to, partitions, processors);
        long end = clock.addAndGet(FAR_FUTURE);
        List<WindowRow> rows = new ArrayList<>();
        for (PartitionProcessor p : processors) {
            p.advanceIdle(end);
            TestReadings.drain(p).forEach(bytes -> rows.add(WindowRowCodec.decode(bytes)));
            p.close();
        }
        return rows;
    }

    /** Each message to its device's partition, in order, in random batches. */
    private static void feed(List<TestReadings.Msg> msgs, int from, int to, int partitions, List<PartitionProcessor> processors) {
        ToIntFunction<String> partitionOf = partitionOf(partitions);
        List<List<TestReadings.Msg>> byPartition = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            byPartition.add(new ArrayList<>());
        }
        for (TestReadings.Msg m : msgs.subList(from, to)) {
            byPartition.get(partitionOf.applyAsInt(m.deviceId)).add(m);
        }
        for (int p = 0; p < partitions; p++) {
            List<TestReadings.Msg> own = byPartition.get(p);
            TestReadings.feed(processors.get(p), own, 0, own.size(), new Random(p), 200, null);
        }
    }

    /** Pulsar's default key hash: the key's String hash, sign bit cleared, modulo the count. */
    private static ToIntFunction<String> partitionOf(int partitions) {
        return key -> (key.hashCode() & Integer.MAX_VALUE) % partitions;
    }

    private static Map<String, Map<String, Object>> finalRows(List<WindowRow> rows) {
        Map<String, Map<String, Object>> last = new TreeMap<>();
        for (WindowRow row : rows) {
            last.put(key(row), EngineRows.columns(row));
        }
        return last;
    }

    private static String key(WindowRow row) {
        return row.deviceId() + "/" + row.windowSizeSeconds() + "/" + row.windowStart();
    }
}
