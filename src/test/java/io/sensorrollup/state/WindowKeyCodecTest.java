package io.sensorrollup.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sensorrollup.window.WindowKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowKeyCodecTest {

    private static final Comparator<WindowKey> LOGICAL = Comparator.comparing(WindowKey::deviceId,
                    Comparator.comparing((String s) -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            Arrays::compareUnsigned))
            .thenComparingLong(WindowKey::sizeMillis)
            .thenComparingLong(WindowKey::start);

    @Test
    void byteOrderIsDeviceThenSizeThenStartAndDecodesBack() {
        String[] ids = {"a", "a\u0000", "a\u0000b", "ab", "a\u0001", "b", "", "é", "z\u0000\u0000"};
        long[] sizes = {60_000, 300_000, 3_600_000};
        long[] starts = {-120_000, -60_000, 0, 60_000, 1767225600000L};
        List<WindowKey> keys = new ArrayList<>();
        for (String id : ids) {
            for (long size : sizes) {
                for (long start : starts) {
                    keys.add(new WindowKey(id, size, start));
                }
            }
        }
        WindowKeyCodec codec = new WindowKeyCodec();
        List<byte[]> encoded = new ArrayList<>();
        for (WindowKey k : keys) {
            byte[] bytes = codec.encode(k);
            assertEquals(k, WindowKeyCodec.decode(bytes));
            encoded.add(bytes);
        }
        List<WindowKey> byBytes = new ArrayList<>(keys);
        byBytes.sort(Comparator.comparing(codec::encode, Arrays::compareUnsigned));
        List<WindowKey> byFields = new ArrayList<>(keys);
        byFields.sort(LOGICAL);
        assertEquals(byFields, byBytes);
    }

    /**
     * Why the decoder rejects lone surrogates (issue 12 item 4): UTF-8 cannot encode one, so the key of "\\ud800a"
     * is the key of "?a", another device. PartitionProcessorTest shows that the engine no longer merges them.
     */
    @Test
    void aLoneSurrogateHasTheKeyOfItsReplacementCharacter() {
        WindowKeyCodec codec = new WindowKeyCodec();
        byte[] lone = codec.encode(new WindowKey("\ud800a", 60_000, 0));
        byte[] question = codec.encode(new WindowKey("?a", 60_000, 0));
        assertArrayEquals(question, lone);
        // a pair is one code point and keeps a key of its own
        WindowKey pair = new WindowKey("\ud83d\ude00a", 60_000, 0);
        assertEquals(pair, WindowKeyCodec.decode(codec.encode(pair)));
    }
}
