package io.sensorrollup.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RawBatchTest {

    private final List<Object> encoded = new ArrayList<>();
    private final Function<Object, byte[]> encoder = id -> {
        encoded.add(id);
        return SequencePositions.of((Long) id);
    };

    @Test
    void aPositionGivenAsTheSourcesIdIsEncodedOnceAndOnlyWhenAskedFor() {
        RawBatch batch = new RawBatch(2);
        for (long id = 10; id < 15; id++) {
            batch.addEncodedLater(new byte[] {1}, id, encoder, 0, 0);
        }
        assertEquals(List.of(), encoded);
        assertArrayEquals(SequencePositions.of(14), batch.position(4));
        assertSame(batch.position(4), batch.position(4));
        assertEquals(List.of(14L), encoded);
    }

    @Test
    void theRestOfABatchEncodesItsPositionsAlike() {
        RawBatch batch = new RawBatch();
        for (long id = 10; id < 15; id++) {
            batch.addEncodedLater(new byte[] {1}, id, encoder, 0, 0);
        }
        RawBatch rest = batch.from(3);
        assertEquals(2, rest.size());
        assertEquals(13, SequencePositions.sequence(rest.position(0)));
        assertEquals(List.of(13L), encoded);
    }
}
