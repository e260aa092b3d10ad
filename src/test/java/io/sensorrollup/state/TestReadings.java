package io.sensorrollup.state;

import io.sensorrollup.source.RawBatch;
import io.sensorrollup.source.Reading;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/** Random readings of the generator's four device kinds, as structured values and as JSON payloads. */
final class TestReadings {

    static final long BASE = 1767225600000L; // 2026-01-01T00:00:00Z

    /** One generated message: its structured values (null payload fields = absent) and its JSON. */
    static final class Msg {
        String deviceId;
        long timestamp;
        long arrival;
        String deviceType;
        String customerId;
        String siteId;
        Double[] position = new Double[3];
        Double[] metrics = new Double[Reading.METRIC_COUNT];
        Boolean motion;
        Long[] counters = new Long[Reading.COUNTER_COUNT];
        byte[] json;
        boolean valid = true;

        long counter(int c) {
            return counters[c] == null ? 0 : counters[c];
        }
    }

    static final String[] KINDS = {"env-sensor", "co2-monitor", "freezer-probe", "motion-sensor"};
    static final int[][] KIND_METRICS = {
        {0, 1, 2, 3, 4, 5, 6, 7},
        {0, 1, 3, 6, 7},
        {0, 6, 7},
        {5, 6, 7},
    };

    /**
     * {@code count} messages over devices {@code d-0..d-(devices-1)}, one every {@code stepMillis} of event
     * time, arriving shuffled within {@code jitterMillis}; every {@code badEvery}-th is malformed (0 = none).
     */
    static List<Msg> generate(long seed, int count, int devices, long stepMillis, long jitterMillis, int badEvery) {
        Random rnd = new Random(seed);
        List<Msg> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Msg m = new Msg();
            int dev = rnd.nextInt(devices);
            int kind = dev % 4;
            m.deviceId = "d-" + dev;
            m.timestamp = BASE + i * stepMillis;
            m.arrival = m.timestamp + (jitterMillis > 0 ? (long) (rnd.nextDouble() * jitterMillis) : 0);
            if (rnd.nextInt(10) > 0) {
                m.deviceType = KINDS[kind];
            }
            if (rnd.nextInt(10) > 0) {
                m.customerId = "c-" + (dev % 3);
            }
            if (rnd.nextInt(10) > 0) {
                m.siteId = "s-" + (dev % 5);
            }
            for (int p = 0; p < 3; p++) {
                if (rnd.nextInt(8) > 0) {
                    m.position[p] = Math.round((rnd.nextDouble() - 0.5) * 200_000_000) / 1e6;
                }
            }
            for (int metric : KIND_METRICS[kind]) {
                if (rnd.nextInt(12) == 0) {
                    continue; // sensor missing in this reading
                }
                double v = kind == 2 && metric == 0 ? -30 + rnd.nextDouble() * 20 : (rnd.nextDouble() - 0.3) * 1000;
                m.metrics[metric] = Math.round(v * 1000) / 1000.0;
            }
            if (kind == 3) {
                m.motion = rnd.nextInt(5) == 0;
            }
            for (int c = 0; c < Reading.COUNTER_COUNT; c++) {
                if (rnd.nextInt(6) > 0) {
                    long v = rnd.nextInt(64_000);
                    m.counters[c] = c < 2 && rnd.nextBoolean() ? -v : v;
                }
            }
            m.json = toJson(m, rnd).getBytes(StandardCharsets.UTF_8);
            if (badEvery > 0 && i % badEvery == badEvery - 1) {
                m.valid = false;
                m.json = ("{\"device_id\":\"" + m.deviceId + "\",\"timestamp\":" + m.timestamp + ",\"co2\":\"high\"}")
                        .getBytes(StandardCharsets.UTF_8);
            }
            out.add(m);
        }
        out.sort(Comparator.comparingLong((Msg m) -> m.arrival));
        return out;
    }

    private static String toJson(Msg m, Random rnd) {
        StringBuilder sb = new StringBuilder("{");
        sb.append("\"device_id\":\"").append(m.deviceId).append('"');
        sb.append(",\"timestamp\":").append(m.timestamp);
        str(sb, "device_type", m.deviceType, rnd);
        str(sb, "customer_id", m.customerId, rnd);
        str(sb, "site_id", m.siteId, rnd);
        String[] pos = {"latitude", "longitude", "altitude"};
        for (int p = 0; p < 3; p++) {
            num(sb, pos[p], m.position[p], rnd);
        }
        for (int i = 0; i < Reading.METRIC_COUNT; i++) {
            num(sb, Reading.METRICS[i], m.metrics[i], rnd);
        }
        if (m.motion != null) {
            sb.append(",\"motion_detected\":").append(m.motion);
        }
        for (int c = 0; c < Reading.COUNTER_COUNT; c++) {
            if (m.counters[c] != null) {
                sb.append(",\"").append(Reading.COUNTERS[c]).append("\":").append(m.counters[c]);
            }
        }
        if (rnd.nextInt(4) == 0) {
            sb.append(",\"firmware\":{\"version\":[1,2,{\"x\":null}],\"temperature\":\"n/a\"}");
        }
        return sb.append('}').toString();
    }

    private static void str(StringBuilder sb, String name, String v, Random rnd) {
        if (v != null) {
            sb.append(",\"").append(name).append("\":\"").append(v).append('"');
        } else if (rnd.nextBoolean()) {
            sb.append(",\"").append(name).append("\":null");
        }
    }

    private static void num(StringBuilder sb, String name, Double v, Random rnd) {
        if (v != null) {
            sb.append(",\"").append(name).append("\":").append(v);
        } else if (rnd.nextBoolean()) {
            sb.append(",\"").append(name).append("\":null");
        }
    }

    static byte[] position(int index) {
        return ("pos-" + index).getBytes(StandardCharsets.US_ASCII);
    }

    /** Feeds messages [from, to) in random batch sizes (1..maxBatch); arrival times come from the messages. */
    static void feed(PartitionProcessor p, List<Msg> msgs, int from, int to, Random rnd, int maxBatch,
            List<BatchResult> results) {
        RawBatch batch = new RawBatch();
        int i = from;
        while (i < to) {
            int n = Math.min(to - i, 1 + rnd.nextInt(maxBatch));
            batch.clear();
            for (int k = 0; k < n; k++, i++) {
                batch.add(msgs.get(i).json, position(i), msgs.get(i).arrival);
            }
            BatchResult r = p.process(batch);
            if (results != null) {
                results.add(r);
            }
        }
    }

    /** Every row in the outbox, oldest first, read in small pages. */
    static List<byte[]> drain(PartitionProcessor p) {
        List<byte[]> rows = new ArrayList<>();
        long after = -1;
        while (true) {
            List<OutboxEntry> page = p.readOutbox(after, 37);
            if (page.isEmpty()) {
                return rows;
            }
            for (OutboxEntry e : page) {
                rows.add(e.rowBytes());
                after = e.seq();
            }
        }
    }

    private TestReadings() {
    }
}
