package io.sensorrollup.checkpoint;

import java.lang.System.Logger.Level;

/**
 * A test hook for the crash tests: with the JVM system property {@code sensorrollup.test.pause-at} set to
 * {@code before-manifest} or {@code before-ack}, the first checkpoint of partition 0 with id 3 or more
 * stops at that point of the commit, logs {@code PAUSED at <point>} and waits for the test's SIGKILL, or, with
 * {@code sensorrollup.test.pause-millis}, that long (a checkpoint held in flight for a SIGTERM).
 * Without the property (always, outside the crash tests) it does nothing.
 */
public final class CrashPoint {

    static final String PROPERTY = "sensorrollup.test.pause-at";
    private static final String AT = System.getProperty(PROPERTY, "");
    private static final long PAUSE_MILLIS = Long.getLong("sensorrollup.test.pause-millis", Long.MAX_VALUE);
    private static volatile boolean paused;
    private static final System.Logger LOG = System.getLogger(CrashPoint.class.getName());

    private CrashPoint() {
    }

    /** Between the uploads and the manifest: the checkpoint's files are stored, it is not committed. */
    static void beforeManifest(int partition, long checkpointId) {
        pauseIf("before-manifest", partition, checkpointId);
    }

    /** Between the manifest and the acknowledgement: committed, the source not yet told. */
    public static void beforeAck(int partition, long checkpointId) {
        pauseIf("before-ack", partition, checkpointId);
    }

    private static void pauseIf(String point, int partition, long checkpointId) {
        if (!AT.equals(point) || partition != 0 || checkpointId < 3 || (paused && PAUSE_MILLIS != Long.MAX_VALUE)) {
            return;
        }
        paused = true;
        LOG.log(Level.WARNING, "PAUSED at {0} of checkpoint {1} of partition {2} ({3}): waiting to be killed",
                point, checkpointId, partition, PROPERTY);
        long until = PAUSE_MILLIS == Long.MAX_VALUE ? Long.MAX_VALUE : System.currentTimeMillis() + PAUSE_MILLIS;
        while (System.currentTimeMillis() < until) {
            try {
                Thread.sleep(Math.min(60_000, Math.max(1, until - System.currentTimeMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
