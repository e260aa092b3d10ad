package io.sensorrollup.window;

/** Which clock places a reading in its windows (CONTRACT §2). */
public enum TimeMode {
    /** The reading's {@code timestamp}. */
    EVENT,
    /** The arrival wall-clock time of its message. */
    PROCESSING;

    public static TimeMode parse(String text) {
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "event" -> EVENT;
            case "processing" -> PROCESSING;
            default -> throw new IllegalArgumentException("time mode '" + text + "': expected event or processing");
        };
    }
}
