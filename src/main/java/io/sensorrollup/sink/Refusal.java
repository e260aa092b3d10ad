package io.sensorrollup.sink;

import io.sensorrollup.window.WindowRow;
import java.time.Instant;

/**
 * A row a store refused for its content: which row (its key and version, and where it waits in the outbox) and
 * what the store said.
 */
public record Refusal(String sink, int partition, long seq, String deviceId, long windowSizeSeconds, long windowStart,
        int version, String message) {

    static Refusal of(String sink, int partition, long seq, WindowRow row, String message) {
        return new Refusal(sink, partition, seq, row.deviceId(), row.windowSizeSeconds(), row.windowStart(), row.version(),
                message);
    }

    /** The row key as the tables spell it, with non-printable characters escaped (a refused id often holds one). */
    public String row() {
        return "device_id=\"" + escape(deviceId) + "\" window_size_s=" + windowSizeSeconds + " window_start="
                + Instant.ofEpochMilli(windowStart) + " version=" + version;
    }

    @Override
    public String toString() {
        return sink + " refuses " + row() + " (partition " + partition + ", outbox seq " + seq + "): " + message;
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.chars().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').append((char) c);
            } else if (c < 0x20 || c == 0x7f || Character.isSurrogate((char) c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.append((char) c);
            }
        });
        return out.toString();
    }
}
