package io.sensorrollup.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CloseScheduleTest {

    private static final long[] SIZES = {60_000, 300_000, 3_600_000};

    @Test
    void pollsInTheOrderOfATreeOfKeysWhateverTheOrderOfAdding() {
        Random rnd = new Random(4);
        for (long offset : new long[] {0, 120_000}) {
            CloseSchedule schedule = new CloseSchedule(offset);
            TreeSet<WindowKey> reference = new TreeSet<>(WindowKey.CLOSE_ORDER);
            Set<WindowKey> everAdded = new HashSet<>();
            long w = 0;
            List<WindowKey> polled = new ArrayList<>();
            List<WindowKey> expected = new ArrayList<>();
            for (int round = 0; round < 300; round++) {
                for (int i = rnd.nextInt(40); i > 0; i--) {
                    WindowKey key = randomKey(rnd, w - offset);
                    if (key.end() + offset > w && everAdded.add(key)) {
                        schedule.add(key);
                        reference.add(key);
                    }
                }
                assertEquals(reference.size(), schedule.size());
                assertEquals(reference.isEmpty() ? Long.MAX_VALUE : reference.first().end() + offset, schedule.nextDeadline());
                w += rnd.nextInt(200_000);
                WindowKey key;
                while ((key = schedule.pollDue(w)) != null) {
                    polled.add(key);
                    // a longer window that the closing one fills may join the same end while it is polled
                    if (key.sizeMillis() == 60_000 && rnd.nextInt(3) == 0) {
                        WindowKey longer = new WindowKey(key.deviceId(), 300_000, key.end() - 300_000);
                        if (Math.floorMod(key.end(), 300_000) == 0 && everAdded.add(longer)) {
                            schedule.add(longer);
                            reference.add(longer);
                        }
                    }
                    expected.add(reference.pollFirst());
                }
                while (!reference.isEmpty() && reference.first().end() + offset <= w) {
                    expected.add(reference.pollFirst());
                }
                assertEquals(expected, polled);
            }
            assertNull(schedule.pollDue(w));
        }
    }

    private static WindowKey randomKey(Random rnd, long from) {
        long size = SIZES[rnd.nextInt(SIZES.length)];
        long start = Math.floorDiv(from + rnd.nextInt(1_800_000), size) * size;
        return new WindowKey("d-" + rnd.nextInt(30), size, start);
    }
}
