package io.sensorrollup.checkpoint;

import java.time.Duration;
import java.util.Locale;

/** Sizes and durations the way a person reads them in a log line. */
public final class LogFormat {

    private LogFormat() {
    }

    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    public static String duration(Duration duration) {
        long millis = duration.toMillis();
        return millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    static String files(int count) {
        return count == 1 ? "1 file" : count + " files";
    }
}
