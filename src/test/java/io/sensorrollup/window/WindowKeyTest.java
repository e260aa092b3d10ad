package io.sensorrollup.window;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WindowKeyTest {

    /** Device ids made of "Aa" and "BB" all share one String hash: every key lands in one bin of a map. */
    @Test
    void keysOfDeviceIdsThatCollideAreOrderedConsistentlyWithEqualsAndAllFound() {
        List<String> ids = new ArrayList<>(List.of(""));
        for (int round = 0; round < 8; round++) {
            List<String> longer = new ArrayList<>();
            for (String id : ids) {
                longer.add(id + "Aa");
                longer.add(id + "BB");
            }
            ids = longer;
        }
        Map<WindowKey, Integer> windows = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(ids.get(0).hashCode(), ids.get(i).hashCode());
            windows.put(new WindowKey(ids.get(i), 60_000, 0), i);
        }
        WindowKey probe = WindowKey.probe();
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(i, windows.get(probe.set(ids.get(i), 60_000, 0)));
            WindowKey a = new WindowKey(ids.get(i), 60_000, 0);
            WindowKey b = new WindowKey(ids.get((i + 1) % ids.size()), 60_000, 0);
            assertEquals(0, a.compareTo(new WindowKey(ids.get(i), 60_000, 0)));
            assertEquals(Integer.signum(a.compareTo(b)), -Integer.signum(b.compareTo(a)));
            assertEquals(a.equals(b), a.compareTo(b) == 0);
        }
        assertEquals(256, windows.size());
    }
}
