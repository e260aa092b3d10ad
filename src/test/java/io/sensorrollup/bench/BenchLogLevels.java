package io.sensorrollup.bench;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The log levels a benchmark run under the bare JBoss log manager needs. The loggers are held here, or the logging
 * system may forget their levels.
 */
final class BenchLogLevels {

    /** One INFO line per checkpoint would drown the figures. */
    private static final Logger CHECKPOINT = Logger.getLogger("io.sensorrollup.checkpoint");
    /**
     * Without a level the S3 client's Apache HTTP wire logger is debug-enabled and formats every uploaded byte (13 %
     * of a 1M-device scale run's Java samples) only for the handler to drop the lines.
     */
    private static final Logger HTTP_WIRE = Logger.getLogger("org.apache.http");

    private BenchLogLevels() {
    }

    static void apply() {
        CHECKPOINT.setLevel(Level.WARNING);
        HTTP_WIRE.setLevel(Level.INFO);
    }
}
