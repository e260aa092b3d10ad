package io.sensorrollup.state;

import io.sensorrollup.window.WindowRow;
import io.sensorrollup.window.WindowRowCodec;

/**
 * One row waiting in the outbox.
 *
 * @param seq its position in emission order (delete up to it once the sink confirmed it)
 * @param rowBytes the row as {@link WindowRowCodec} bytes
 */
public record OutboxEntry(long seq, byte[] rowBytes) {

    public WindowRow row() {
        return WindowRowCodec.decode(rowBytes);
    }
}
