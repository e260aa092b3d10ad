package io.sensorrollup.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorrollup.source.RawBatch;
import io.sensorrollup.window.TimeMode;
import io.sensorrollup.window.WindowKey;
import io.sensorrollup.window.WindowRow;
import io.sensorrollup.window.WindowRowCodec;
import io.sensorrollup.window.WindowSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionProcessorTest {

    private static final WindowSpec SPEC = WindowSpec.parse("1m,5m,1h");
    private static final long FAR_FUTURE = 10L * 24 * 3600 * 1000;
    private static StateResources resources;

    @TempDir
    Path tmp;

    private final AtomicLong clock = new AtomicLong(1_000_000);

    @BeforeAll
    static void resources() {
        resources = StateResources.create(64L << 20, 32L << 20);
    }

    @AfterAll
    static void closeResources() {
        resources.close();
    }

    private PartitionProcessor open(String dir, EngineConfig config) {
        return PartitionProcessor.open(tmp.resolve(dir), config, resources, clock::get);
    }

    /** Runs everything, then closes every window with an idle advance; returns the outbox rows. */
    private List<byte[]> run(String dir, EngineConfig config, List<TestReadings.Msg> msgs, long seed, int maxBatch) {
        try (PartitionProcessor p = open(dir, config)) {
            TestReadings.feed(p, msgs, 0, msgs.size(), new Random(seed), maxBatch, null);
            closeEverything(p);
            return TestReadings.drain(p);
        }
    }

    private void closeEverything(PartitionProcessor p) {
        clock.addAndGet(FAR_FUTURE);
        p.advanceIdle(clock.get());
    }

    @Test
    void everyColumnOfEveryRowMatchesTheReference() {
        List<TestReadings.Msg> msgs = TestReadings.generate(1, 20_000, 37, 700, 5_000, 97);
        EngineConfig config = EngineConfig.defaults(SPEC);
        List<BatchResult> results = new ArrayList<>();
        List<byte[]> rows;
        try (PartitionProcessor p = open("a", config)) {
            TestReadings.feed(p, msgs, 0, msgs.size(), new Random(2), 200, results);
            assertTrue(p.readOutbox(-1, 1).size() > 0, "windows close while data flows, not only at the end");
            closeEverything(p);
            rows = TestReadings.drain(p);
            assertEquals(0, p.liveWindows());
        }
        int rejected = results.stream().mapToInt(r -> r.rejected().size()).sum();
        assertEquals(msgs.stream().filter(m -> !m.valid).count(), rejected);
        assertTrue(results.stream().flatMap(r -> r.rejected().stream()).allMatch(r -> r.reason().equals("wrong-type:co2")));

        ReferenceAggregator ref = new ReferenceAggregator();
        ref.addAll(msgs, SPEC);
        assertEquals(ref.windows.size(), rows.size(), "one row per window, none extra, none missing");
        List<WindowKey> order = new ArrayList<>();
        for (byte[] bytes : rows) {
            WindowRow row = WindowRowCodec.decode(bytes);
            List<TestReadings.Msg> expected = ref.windows.get(row.key());
            assertNotNull(expected, () -> "unexpected row " + row);
            Map<String, Object> want = ReferenceAggregator.expectedColumns(row.key(), expected, SPEC);
            assertEquals(want, ReferenceAggregator.actualColumns(row), row.key().toString());
            order.add(row.key());
        }
        List<WindowKey> sorted = new ArrayList<>(order);
        sorted.sort(WindowKey.CLOSE_ORDER);
        assertEquals(sorted, order, "rows are emitted by window end, then device id, then size");
    }

    @Test
    void batchBoundariesDoNotChangeTheRowsEvenWithLateReadings() {
        // jitter larger than the out-of-orderness bound: some readings are late, some within lateness
        List<TestReadings.Msg> msgs = TestReadings.generate(3, 6_000, 11, 1_000, 90_000, 0);
        EngineConfig config = EngineConfig.defaults(WindowSpec.parse("1m,5m"))
                .withAllowedLateness(Duration.ofSeconds(30));
        List<byte[]> one = run("one", config, msgs, 4, 1);
        List<byte[]> many = run("many", config, msgs, 5, 500);
        assertRowsEqual(one, many);
        assertTrue(one.stream().map(WindowRowCodec::decode).anyMatch(r -> r.version() > 1), "some late updates");
    }

    @Test
    void lateWithinAllowedLatenessReEmitsWithNextVersionAndTooLateIsRejected() {
        EngineConfig config = EngineConfig.defaults(WindowSpec.parse("1m"))
                .withMaxOutOfOrderness(Duration.ZERO).withAllowedLateness(Duration.ofMinutes(2));
        try (PartitionProcessor p = open("late", config)) {
            assertEquals(0, process(p, reading("a", 10_000, 1.0)).emitted());
            BatchResult r = process(p, reading("a", 65_000, 5.0));
            assertEquals(1, r.emitted(), "W=65s closes [0,60s)");
            r = process(p, reading("a", 20_000, -3.0));
            assertEquals(1, r.emitted(), "late within lateness: re-emitted");
            assertTrue(r.rejected().isEmpty());
            r = process(p, reading("b", 70_000, 7.0), reading("a", 200_000, 9.0), reading("a", 30_000, 1.0),
                    reading("c", 61_000, 2.0));
            // b@70s is in time; a@200s moves W to 200s: [60s,120s) closes for a and b; [0,60s) expires at 180s;
            // a@30s is then too late; c@61s is late but within lateness for [60s,120s): new window, emitted at once
            assertEquals(1, r.rejected().size());
            assertEquals("late", r.rejected().get(0).reason());
            assertEquals(2, r.rejected().get(0).index());
            assertArrayEquals(TestReadings.position(2), r.rejected().get(0).position());
            List<WindowRow> rows = TestReadings.drain(p).stream().map(WindowRowCodec::decode).toList();
            assertEquals(5, rows.size(), rows.toString());
            assertRow(rows.get(0), "a", 0, 1, 1, 1.0);
            assertRow(rows.get(1), "a", 0, 2, 2, -1.0);
            assertEquals(-3.0, rows.get(1).metricMin(0));
            assertEquals(1.0, rows.get(1).metricMax(0));
            assertEquals(10_000, rows.get(1).firstEventTime());
            assertEquals(20_000, rows.get(1).lastEventTime());
            assertRow(rows.get(2), "a", 60_000, 1, 1, 5.0);
            assertRow(rows.get(3), "b", 60_000, 1, 1, 7.0);
            assertRow(rows.get(4), "c", 60_000, 1, 1, 2.0);
        }
    }

    @Test
    void aWindowClosesWhenTheWatermarkReachesItsEnd() {
        EngineConfig config = EngineConfig.defaults(WindowSpec.parse("1m")).withMaxOutOfOrderness(Duration.ofSeconds(5));
        try (PartitionProcessor p = open("edge", config)) {
            assertEquals(0, process(p, reading("a", 30_000, 1.0), reading("a", 64_999, 1.0)).emitted(),
                    "W = 59.999 s < end 60 s: still open");
            BatchResult r = process(p, reading("a", 59_999, 1.0));
            assertTrue(r.rejected().isEmpty(), "a reading at or after the watermark is never late");
            r = process(p, reading("a", 65_000, 1.0));
            assertEquals(1, r.emitted(), "W = 60 s >= end 60 s: closed");
            r = process(p, reading("a", 59_999, 1.0), reading("a", 60_000, 1.0));
            assertEquals(List.of("late"), r.rejected().stream().map(Rejected::reason).toList());
            assertEquals(0, r.rejected().get(0).index());
            WindowRow row = WindowRowCodec.decode(TestReadings.drain(p).get(0));
            assertEquals(0, row.windowStart());
            assertEquals(2, row.messageCount());
        }
    }

    @Test
    void withoutAllowedLatenessAReadingForAClosedWindowIsLate() {
        EngineConfig config = EngineConfig.defaults(WindowSpec.parse("1m,1h"));
        try (PartitionProcessor p = open("nolate", config)) {
            process(p, reading("a", 10_000, 1.0), reading("a", 70_000, 1.0));
            BatchResult r = process(p, reading("a", 50_000, 1.0));
            assertTrue(r.rejected().isEmpty(), "still in time for the 1h window");
            assertEquals(1, r.lateWindowsDropped());
            process(p, reading("a", 3_700_000, 1.0));
            r = process(p, reading("a", 50_000, 1.0));
            assertEquals(List.of("late"), r.rejected().stream().map(Rejected::reason).toList());
            assertEquals(2, r.lateWindowsDropped());
        }
    }

    @Test
    void idleAdvanceClosesTheLastWindows() {
        EngineConfig config = EngineConfig.defaults(WindowSpec.parse("1m")).withIdleTimeout(Duration.ofSeconds(30));
        try (PartitionProcessor p = open("idle", config)) {
            process(p, reading("a", 10_000, 1.0), reading("b", 50_000, 2.0));
            assertEquals(45_000, p.watermark());
            clock.addAndGet(29_999);
            assertEquals(0, p.advanceIdle(clock.get()), "not idle long enough");
            clock.addAndGet(1);
            // idle 30 s: W = 50 s + 30 s - 5 s = 75 s >= 60 s
            assertEquals(2, p.advanceIdle(clock.get()));
            assertEquals(75_000, p.watermark());
            assertEquals(2, TestReadings.drain(p).size());
        }
    }

    @Test
    void processingTimeUsesTheArrivalTime() {
        EngineConfig config = EngineConfig.defaults(WindowSpec.parse("1m")).withTimeMode(TimeMode.PROCESSING);
        try (PartitionProcessor p = open("proc", config)) {
            RawBatch b = new RawBatch();
            b.add(json("a", 5, 1.0), TestReadings.position(0), 120_500);
            b.add(json("a", 999_999_999, 2.0), TestReadings.position(1), 130_000);
            b.add(json("a", 7, 4.0), TestReadings.position(2), 180_000); // W = 180 s: [120 s, 180 s) closes
            assertEquals(1, p.process(b).emitted());
            WindowRow row = WindowRowCodec.decode(TestReadings.drain(p).get(0));
            assertEquals(120_000, row.windowStart());
            assertEquals(2, row.messageCount());
            assertEquals(120_500, row.firstEventTime());
            assertEquals(130_000, row.lastEventTime());
        }
    }

    @Test
    void aTinyCacheGivesTheSameRowsAsALargeOne() {
        List<TestReadings.Msg> msgs = TestReadings.generate(7, 8_000, 53, 900, 5_000, 0);
        EngineConfig large = EngineConfig.defaults(SPEC);
        List<byte[]> expected = run("large", large, msgs, 8, 100);
        EngineConfig tiny = large.withCacheBytes(4_096);
        List<byte[]> actual;
        try (PartitionProcessor p = open("tiny", tiny)) {
            TestReadings.feed(p, msgs, 0, msgs.size(), new Random(8), 100, null);
            assertTrue(p.cacheStats()[2] > 1000, "the cache evicted");
            assertTrue(p.cacheStats()[1] <= 4_096 + 2_000, "the cache stays near its budget");
            closeEverything(p);
            actual = TestReadings.drain(p);
        }
        assertRowsEqual(expected, actual);
    }

    @Test
    void restartFromACheckpointGivesTheRowsOfAnUninterruptedRun() throws Exception {
        List<TestReadings.Msg> msgs = TestReadings.generate(9, 10_000, 29, 800, 5_000, 50);
        EngineConfig config = EngineConfig.defaults(SPEC).withAllowedLateness(Duration.ofSeconds(20))
                .withCacheBytes(64 * 1024);
        List<byte[]> expected = run("whole", config, msgs, 10, 150);

        int half = msgs.size() / 2;
        Path checkpoint = tmp.resolve("chk-1");
        Snapshot snap;
        try (PartitionProcessor p = open("first", config)) {
            TestReadings.feed(p, msgs, 0, half, new Random(11), 150, null);
            snap = p.snapshot(checkpoint);
            // work after the snapshot is lost with the process
            TestReadings.feed(p, msgs, half, half + 1000, new Random(12), 150, null);
        }
        assertArrayEquals(TestReadings.position(half - 1), snap.position());
        assertTrue(snap.files().stream().anyMatch(Snapshot.StateFile::isSst));
        assertTrue(snap.files().stream().anyMatch(f -> f.name().startsWith("MANIFEST")));
        for (Snapshot.StateFile f : snap.files()) {
            assertEquals(f.size(), Files.size(checkpoint.resolve(f.name())));
        }

        List<byte[]> actual;
        try (PartitionProcessor p = PartitionProcessor.restore(checkpoint, tmp.resolve("first"), config, resources,
                clock::get)) {
            assertArrayEquals(TestReadings.position(half - 1), p.position());
            assertEquals(snap.watermark(), p.watermark());
            TestReadings.feed(p, msgs, half, msgs.size(), new Random(13), 150, null);
            closeEverything(p);
            actual = TestReadings.drain(p);
        }
        assertRowsEqual(expected, actual);
        assertTrue(Files.exists(checkpoint.resolve("CURRENT")), "the checkpoint is left intact");
    }

    @Test
    void cleanCloseAndReopenContinues() {
        List<TestReadings.Msg> msgs = TestReadings.generate(21, 3_000, 7, 1_000, 3_000, 0);
        EngineConfig config = EngineConfig.defaults(SPEC);
        List<byte[]> expected = run("straight", config, msgs, 1, 50);
        try (PartitionProcessor p = open("reopen", config)) {
            TestReadings.feed(p, msgs, 0, 1_234, new Random(1), 50, null);
        }
        List<byte[]> actual;
        try (PartitionProcessor p = open("reopen", config)) {
            assertArrayEquals(TestReadings.position(1_233), p.position());
            TestReadings.feed(p, msgs, 1_234, msgs.size(), new Random(1), 50, null);
            closeEverything(p);
            actual = TestReadings.drain(p);
        }
        assertRowsEqual(expected, actual);
    }

    @Test
    void outboxIsReadInPagesAndDeletedThroughAConfirmedSequence() {
        try (PartitionProcessor p = open("outbox", EngineConfig.defaults(WindowSpec.parse("1m")))) {
            for (int i = 0; i < 10; i++) {
                process(p, reading("d" + i, 10_000, 1.0));
            }
            closeEverything(p);
            List<OutboxEntry> page = p.readOutbox(-1, 4);
            assertEquals(4, page.size());
            assertEquals("d0", page.get(0).row().deviceId());
            assertEquals(10, p.outboxBacklog());
            p.deleteOutboxThrough(page.get(3).seq());
            assertEquals(6, p.outboxBacklog());
            List<OutboxEntry> rest = p.readOutbox(-1, 100);
            assertEquals(6, rest.size());
            assertEquals("d4", rest.get(0).row().deviceId());
            assertTrue(rest.get(0).seq() > page.get(3).seq());
        }
    }

    @Test
    void snapshotRefusesAnExistingDirectory() throws Exception {
        try (PartitionProcessor p = open("refuse", EngineConfig.defaults(SPEC))) {
            Path dir = Files.createDirectory(tmp.resolve("exists"));
            assertThrows(IllegalArgumentException.class, () -> p.snapshot(dir));
        }
    }

    @Test
    void stateThatWasNotClosedCleanlyIsRefused() {
        Path dir = tmp.resolve("crashed");
        try (PartitionStore store = PartitionStore.open(dir, resources)) {
            // what a flush while a processor had the store open leaves on disk
            new MetaStore(store).markInUse(true);
            store.flushMemtables();
        }
        StateException e = assertThrows(StateException.class,
                () -> PartitionProcessor.open(dir, EngineConfig.defaults(SPEC), resources, clock::get));
        assertTrue(e.getMessage().contains("restore it from a checkpoint"), e.getMessage());
    }

    @Test
    void afterAFailureCloseDoesNotPersistTheHalfProcessedBatch() throws Exception {
        EngineConfig config = EngineConfig.defaults(WindowSpec.parse("1m"));
        Path checkpoint = tmp.resolve("chk-fail");
        try (PartitionProcessor p = open("fail", config)) {
            process(p, reading("a", 10_000, 1.0));
            p.snapshot(checkpoint);
            process(p, reading("b", 20_000, 1.0));
            RawBatch broken = new RawBatch().add(reading("c", 30_000, 1.0), TestReadings.position(5), 0);
            broken.add(new byte[] {' ', ' '}, 0, 100, TestReadings.position(6), 0); // a length past the array
            assertThrows(ArrayIndexOutOfBoundsException.class, () -> p.process(broken));
        }
        // nothing after the snapshot reached the disk: reopening gives the snapshot's state
        try (PartitionProcessor p = open("fail", config)) {
            assertArrayEquals(TestReadings.position(0), p.position());
            assertEquals(1, p.liveWindows());
        }
    }

    private static final long T0 = 1767225600000L; // 2026-01-01T00:00:00Z
    private static final long YEAR_9999 = 253402300799999L; // 9999-12-31T23:59:59.999Z

    /** Issue 12 item 2: one reading from the future moved the watermark there, and every later reading was late. */
    @Test
    void aReadingFromTheFutureIsInvalidAndTheReadingsAfterItAreNotLate() {
        try (PartitionProcessor p = open("future", EngineConfig.defaults(WindowSpec.parse("1m")))) {
            RawBatch b = new RawBatch();
            b.add(json("a", T0 + 10_000, 1.0), TestReadings.position(0), clock.get(), T0 + 10_000);
            b.add(json("a", YEAR_9999, 9.0), TestReadings.position(1), clock.get(), T0 + 11_000);
            b.add(json("a", T0 + 20_000, 2.0), TestReadings.position(2), clock.get(), T0 + 20_000);
            b.add(json("a", T0 + 70_000, 3.0), TestReadings.position(3), clock.get(), T0 + 70_000);
            BatchResult r = p.process(b);
            assertEquals(List.of("1:future"), r.rejected().stream().map(x -> x.index() + ":" + x.reason()).toList());
            assertEquals(T0 + 65_000, p.watermark(), "the watermark follows the valid readings only");
            List<byte[]> rows = TestReadings.drain(p);
            assertEquals(1, rows.size());
            assertRow(WindowRowCodec.decode(rows.get(0)), "a", T0, 1, 2, 1.5);
        }
    }

    @Test
    void theFutureBoundIsThePublishTimePlusTheSkewNotTheWallClock() {
        EngineConfig config = EngineConfig.defaults(WindowSpec.parse("1m")).withMaxFutureSkew(Duration.ofMinutes(10));
        try (PartitionProcessor p = open("skew", config)) {
            RawBatch b = new RawBatch();
            long publish = T0 + 3_600_000; // the wall clock (clock) is 1970: it plays no part
            b.add(json("a", publish + 600_000, 1.0), TestReadings.position(0), clock.get(), publish);
            b.add(json("a", publish + 600_001, 1.0), TestReadings.position(1), clock.get(), publish);
            b.add(json("b", T0, 1.0), TestReadings.position(2), clock.get(), publish);
            // a source that knows no publish time (RawBatch.UNKNOWN_PUBLISH_TIME) sets no bound
            b.add(json("c", publish + 600_001, 1.0), TestReadings.position(3), clock.get());
            BatchResult r = p.process(b);
            assertEquals(List.of("1:future", "2:late"), r.rejected().stream().map(x -> x.index() + ":" + x.reason()).toList());
        }
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.defaults(SPEC).withMaxFutureSkew(Duration.ZERO));
    }

    @Test
    void processingTimeRejectsNothingAsFuture() {
        EngineConfig config = EngineConfig.defaults(WindowSpec.parse("1m")).withTimeMode(TimeMode.PROCESSING);
        try (PartitionProcessor p = open("proc-future", config)) {
            RawBatch b = new RawBatch();
            // the timestamp is replaced by the arrival time, which may lie hours after the publish time (a backlog)
            b.add(json("a", YEAR_9999, 1.0), TestReadings.position(0), T0 + 7_200_000, T0);
            b.add(json("a", 5, 2.0), TestReadings.position(1), T0 + 7_200_001, T0);
            BatchResult r = p.process(b);
            assertEquals(List.of(), r.rejected());
            assertEquals(T0 + 7_200_001, p.watermark());
        }
    }

    /**
     * Issue 12 item 4: "\\ud800a" (a lone surrogate) and "?a" are different devices, but UTF-8 encodes the surrogate
     * as '?', so both had one RocksDB key. The lone surrogate is invalid now, and "?a" keeps its own reading.
     */
    @Test
    void aLoneSurrogateIdIsRejectedSoItCannotMergeWithTheIdOfItsReplacement() {
        EngineConfig config = EngineConfig.defaults(WindowSpec.parse("1m")).withCacheBytes(0); // every window via RocksDB
        try (PartitionProcessor p = open("surrogate", config)) {
            BatchResult r = process(p, reading("\\ud800a", 1_000, 1.0), reading("?a", 2_000, 3.0),
                    reading("nul\\u0000x", 3_000, 5.0));
            closeEverything(p);
            List<String> rows = TestReadings.drain(p).stream().map(WindowRowCodec::decode)
                    .map(row -> row.deviceId() + " n=" + row.messageCount() + " avg=" + row.metricAvg(0)).toList();
            assertEquals(List.of("?a n=1 avg=3.0"), rows);
            assertEquals(List.of("0:invalid-string:device_id", "2:invalid-string:device_id"),
                    r.rejected().stream().map(x -> x.index() + ":" + x.reason()).toList());
        }
    }

    private static void assertRowsEqual(List<byte[]> expected, List<byte[]> actual) {
        assertEquals(expected.size(), actual.size(), "row count");
        for (int i = 0; i < expected.size(); i++) {
            int k = i;
            assertArrayEquals(expected.get(i), actual.get(i),
                    () -> "row " + k + ": " + WindowRowCodec.decode(expected.get(k)) + " vs "
                            + WindowRowCodec.decode(actual.get(k)));
        }
    }

    private static void assertRow(WindowRow row, String device, long start, int version, long count, double avg) {
        assertEquals(device, row.deviceId());
        assertEquals(start, row.windowStart());
        assertEquals(version, row.version(), row.toString());
        assertEquals(count, row.messageCount(), row.toString());
        assertEquals(avg, row.metricAvg(0), row.toString());
    }

    private static byte[] json(String device, long ts, double temperature) {
        return ("{\"device_id\":\"" + device + "\",\"timestamp\":" + ts + ",\"temperature\":" + temperature + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] reading(String device, long ts, double temperature) {
        return json(device, ts, temperature);
    }

    private BatchResult process(PartitionProcessor p, byte[]... payloads) {
        RawBatch b = new RawBatch();
        for (int i = 0; i < payloads.length; i++) {
            b.add(payloads[i], TestReadings.position(i), clock.get());
        }
        BatchResult r = p.process(b);
        assertFalse(r.messages() == 0);
        return r;
    }

    @Test
    void liveWindowsOfADeviceAreItsOpenAndRetainedWindowsWithTheirValuesSoFar() {
        EngineConfig config = EngineConfig.defaults(WindowSpec.parse("1m,5m")).withAllowedLateness(Duration.ofMinutes(2));
        RawBatch batch = new RawBatch();
        long[][] readings = {{'a', 0}, {'a', 30}, {'b', 10}, {'a', 70}, {'a', 130}};
        for (int i = 0; i < readings.length; i++) {
            String line = "{\"device_id\":\"" + (char) readings[i][0] + "\",\"timestamp\":" + readings[i][1] * 1000
                    + ",\"temperature\":" + (i - 3) + "}";
            batch.add(line.getBytes(StandardCharsets.UTF_8), TestReadings.position(i), clock.get());
        }
        try (PartitionProcessor p = open("live", config)) {
            p.process(batch);
            // watermark 125 s: [0, 60) and [60, 120) closed but within lateness, [120, 180) and [0, 300) open
            List<String> live = p.liveWindows("a").stream()
                    .map(r -> r.windowSizeSeconds() + "s@" + r.windowStart() / 1000 + " n=" + r.messageCount()
                            + " v" + r.version() + " max=" + r.metricMax(0))
                    .toList();
            assertEquals(List.of("60s@0 n=2 v1 max=-2.0", "60s@60 n=1 v1 max=0.0", "60s@120 n=1 v0 max=1.0",
                    "300s@0 n=4 v0 max=1.0"), live);
            assertEquals(List.of(), p.liveWindows("c"));

            PartitionStats stats = p.stats();
            assertEquals(6, stats.liveWindows());
            assertEquals(125_000, stats.watermark());
            assertEquals(3, stats.outboxRows(), "a's two closed minutes and b's one");
            assertTrue(stats.cacheHitRatio() >= 0 && stats.cacheHitRatio() <= 1);

            clock.addAndGet(FAR_FUTURE);
            p.advanceIdle(clock.get());
            assertEquals(List.of(), p.liveWindows("a"), "everything closed and past its lateness");
        }
    }
}
