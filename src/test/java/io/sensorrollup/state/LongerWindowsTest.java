package io.sensorrollup.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorrollup.source.RawBatch;
import io.sensorrollup.source.Reading;
import io.sensorrollup.source.ReadingDecoder;
import io.sensorrollup.window.Accumulator;
import io.sensorrollup.window.AccumulatorCodec;
import io.sensorrollup.window.WindowKey;
import io.sensorrollup.window.WindowRow;
import io.sensorrollup.window.WindowRowCodec;
import io.sensorrollup.window.WindowSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The longer windows filled from the shorter ones as those close ({@link WindowAggregation}) against
 * {@link DirectModel}, which adds every reading to every window: the same rows in the same order with the same
 * versions and columns, a metric's average alike up to the last bits of its sum.
 */
class LongerWindowsTest {

    private static final WindowSpec SPEC = WindowSpec.parse("1m,5m,1h");
    private static final long BOUND = 5_000;
    private static final long LATENESS = 120_000;
    private static final long FAR_FUTURE = 400L * 24 * 3_600_000;
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

    private static EngineConfig config() {
        return EngineConfig.defaults(SPEC).withAllowedLateness(Duration.ofMillis(LATENESS))
                .withMaxOutOfOrderness(Duration.ofMillis(BOUND));
    }

    @Test
    void everyRowMatchesTheModelWithReadingsLateAndTooLate() {
        // arrivals shuffled over 4 minutes of event time: readings on time, late within 2 minutes, and too late
        List<TestReadings.Msg> msgs = TestReadings.generate(7, 30_000, 23, 500, 240_000, 0);
        DirectModel model = new DirectModel(SPEC, BOUND, LATENESS);
        msgs.forEach(model::add);
        model.advance(Long.MAX_VALUE);

        List<byte[]> rows;
        try (PartitionProcessor p = PartitionProcessor.open(tmp.resolve("p"), config(), resources, clock::get)) {
            TestReadings.feed(p, msgs, 0, msgs.size(), new Random(3), 300, null);
            closeEverything(p);
            rows = TestReadings.drain(p);
        }
        assertTrue(model.rows.stream().anyMatch(r -> r.version() > 1 && r.key().sizeMillis() > 60_000),
                "longer windows are updated late too");
        assertRowsMatch(model.rows, rows);
    }

    @Test
    void aLongerWindowTakesItsMetadataFromTheReadingThatArrivedFirst() {
        long t = TestReadings.BASE;
        List<RawBatch> batches = List.of(
                batch(reading("d", t + 61_000, "second-minute"), 0),
                batch(reading("d", t + 59_000, "first-minute"), 1),
                batch(reading("d", t + 400_000, "later"), 2));
        List<WindowRow> rows = new ArrayList<>();
        try (PartitionProcessor p = PartitionProcessor.open(tmp.resolve("p"), config(), resources, clock::get)) {
            batches.forEach(p::process);
            TestReadings.drain(p).forEach(b -> rows.add(WindowRowCodec.decode(b)));
        }
        assertEquals("first-minute", find(rows, 60_000, t).deviceType());
        assertEquals("second-minute", find(rows, 60_000, t + 60_000).deviceType());
        // the first minute closes and merges first, but the second minute's reading arrived first
        WindowRow fiveMinutes = find(rows, 300_000, t);
        assertEquals("second-minute", fiveMinutes.deviceType());
        assertEquals(2, fiveMinutes.messageCount());
        assertEquals(t + 59_000, fiveMinutes.firstEventTime());
        assertEquals(t + 61_000, fiveMinutes.lastEventTime());
    }

    @Test
    void aDeviceLookupShowsOpenLongerWindowsWithWhatTheirOpenShorterWindowsHold() {
        List<TestReadings.Msg> msgs = TestReadings.generate(11, 4_000, 5, 250, 3_000, 0);
        DirectModel model = new DirectModel(SPEC, BOUND, LATENESS);
        msgs.forEach(model::add);
        try (PartitionProcessor p = PartitionProcessor.open(tmp.resolve("p"), config(), resources, clock::get)) {
            TestReadings.feed(p, msgs, 0, msgs.size(), new Random(5), 50, null);
            Map<WindowKey, List<TestReadings.Msg>> open = model.openWindows();
            int checked = 0;
            for (WindowRow row : p.liveWindows("d-2")) {
                if (row.version() == 0) {
                    List<TestReadings.Msg> want = open.get(row.key());
                    assertEquals(want.size(), row.messageCount(), row.key().toString());
                    assertColumnsMatch(ReferenceAggregator.expectedColumns(row.key(), want, SPEC), row, 0);
                    checked++;
                }
            }
            assertEquals(open.keySet().stream().filter(k -> k.deviceId().equals("d-2")).count(), checked);
            assertTrue(checked >= 3, "an open window of each size");
        }
    }

    /**
     * A state written by a build that added every reading to every window (accumulator format 1, state format 1): its
     * open 5m and 1h windows already hold the readings of their open minutes, which must not be merged into them again.
     */
    @Test
    void aStateAnOlderBuildWroteGoesOnWithoutCountingAReadingTwice() {
        List<TestReadings.Msg> msgs = TestReadings.generate(13, 20_000, 17, 400, 150_000, 0);
        int k = 9_001;
        DirectModel model = new DirectModel(SPEC, BOUND, LATENESS);
        msgs.subList(0, k).forEach(model::add);
        int before = model.rows.size();
        Path dir = tmp.resolve("old");
        writeFormatOneState(dir, model, k - 1);
        msgs.subList(k, msgs.size()).forEach(model::add);
        model.advance(Long.MAX_VALUE);

        List<byte[]> rows;
        try (PartitionProcessor p = PartitionProcessor.open(dir, config(), resources, clock::get)) {
            TestReadings.feed(p, msgs, k, msgs.size(), new Random(9), 200, null);
            closeEverything(p);
            rows = TestReadings.drain(p);
        }
        assertRowsMatch(model.rows.subList(before, model.rows.size()), rows);
    }

    private void writeFormatOneState(Path dir, DirectModel model, int lastIndex) {
        ReadingDecoder decoder = new ReadingDecoder();
        Reading reading = new Reading();
        WindowKeyCodec keys = new WindowKeyCodec();
        try (PartitionStore store = PartitionStore.open(dir, resources)) {
            List<WindowKey> windows = new ArrayList<>(model.openWindows().keySet());
            windows.addAll(model.retainedVersions().keySet());
            for (WindowKey key : windows) {
                boolean open = model.openWindows().containsKey(key);
                Accumulator acc = new Accumulator();
                for (TestReadings.Msg m : open ? model.openWindows().get(key) : model.retainedReadings(key)) {
                    decoder.decode(m.json, reading);
                    acc.add(reading, 1);
                }
                for (int v = open ? 0 : model.retainedVersions().get(key); v > 0; v--) {
                    acc.nextVersion();
                }
                store.put(store.windows(), keys.encode(key), formatOne(AccumulatorCodec.encode(acc)));
            }
            long maxTimestamp = model.watermark() + BOUND;
            new MetaStore(store).write(TestReadings.position(lastIndex), model.watermark(), maxTimestamp, 0, 0, false);
            store.put(store.meta(), "state-format".getBytes(StandardCharsets.US_ASCII), new byte[] {1});
            store.delete(store.meta(), "arrivals".getBytes(StandardCharsets.US_ASCII));
            store.commit();
            store.flushMemtables();
        }
    }

    /** Format 1 was format 2 without its flags and first arrival (one byte each here). */
    private static byte[] formatOne(byte[] formatTwo) {
        byte[] one = Arrays.copyOfRange(formatTwo, 2, formatTwo.length);
        one[0] = AccumulatorCodec.FORMAT_1;
        return one;
    }

    private void closeEverything(PartitionProcessor p) {
        clock.addAndGet(FAR_FUTURE);
        p.advanceIdle(clock.get());
    }

    private static void assertRowsMatch(List<DirectModel.Row> want, List<byte[]> got) {
        for (int i = 0; i < Math.min(want.size(), got.size()); i++) {
            DirectModel.Row w = want.get(i);
            WindowRow row = WindowRowCodec.decode(got.get(i));
            assertEquals(w.key() + " v" + w.version(), row.key() + " v" + row.version(), "row " + i);
            assertColumnsMatch(ReferenceAggregator.expectedColumns(w.key(), w.readings(), SPEC), row, w.version());
        }
        assertEquals(want.size(), got.size(), "rows");
    }

    /** Every column alike, a metric's average up to the last bits of its sum. */
    private static void assertColumnsMatch(Map<String, Object> want, WindowRow row, int version) {
        Map<String, Object> got = ReferenceAggregator.actualColumns(row);
        want.put("version", version);
        for (Map.Entry<String, Object> e : want.entrySet()) {
            Object w = e.getValue();
            Object g = got.get(e.getKey());
            if (e.getKey().endsWith("_avg") && w != null && g != null) {
                double a = (Double) w;
                double b = (Double) g;
                assertTrue(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a)), row.key() + " " + e.getKey() + ": " + a + " != " + b);
            } else {
                assertEquals(w, g, row.key() + " " + e.getKey());
            }
        }
    }

    private static WindowRow find(List<WindowRow> rows, long size, long start) {
        return rows.stream().filter(r -> r.key().sizeMillis() == size && r.key().start() == start).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + size + "@" + start + " in " + rows));
    }

    private static byte[] reading(String device, long ts, String type) {
        return ("{\"device_id\":\"" + device + "\",\"timestamp\":" + ts + ",\"device_type\":\"" + type
                + "\",\"temperature\":20.5}").getBytes(StandardCharsets.UTF_8);
    }

    private RawBatch batch(byte[] payload, int index) {
        return new RawBatch().add(payload, TestReadings.position(index), clock.get());
    }
}
