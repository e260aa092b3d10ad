package io.sensorrollup.state;

import java.nio.charset.StandardCharsets;

/** Keys of the {@code meta} column family (values are 8-byte big-endian longs unless noted). */
final class MetaKeys {

    /** The source position of the last message covered by the state (opaque bytes). */
    static final byte[] POSITION = bytes("position");
    static final byte[] WATERMARK = bytes("watermark");
    static final byte[] MAX_TIMESTAMP = bytes("max-timestamp");
    static final byte[] OUTBOX_NEXT_SEQ = bytes("outbox-next-seq");
    /**
     * 1 while a processor has the store open, 0 after a clean close and in a checkpoint: a store found
     * with 1 was not closed cleanly and is not a consistent cut (the WAL is off), so it must not be reused.
     */
    static final byte[] IN_USE = bytes("in-use");
    /** The layout of the state (1 byte): lets a later build refuse or migrate an older layout. */
    static final byte[] STATE_FORMAT = bytes("state-format");

    static final int CURRENT_STATE_FORMAT = 1;

    private MetaKeys() {
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
