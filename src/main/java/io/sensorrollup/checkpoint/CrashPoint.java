package io.sensorrollup.checkpoint;

import java.lang.System.Logger.Level;

/**
 * A test hook for the crash tests: with the JVM system property {@code sensorrollup.test.pause-at} set to
 * {@code before-manifest} or {@code before-ack}, the first checkpoint of partition 0 with id 3 or more
 * stops at that point of the commit, logs {@code PAUSED at <point>} and waits for the test's SIGKILL.
 * Without the property (always, outside the crash tests) it does nothing.
 */
final class CrashPoint {

    static final String PROPERTY = "sensorrollup.test.pause-at";
    private static final String AT = System.getProperty(PROPERTY, "");
    private static final System.Logger LOG = System.getLogger(CrashPoint.class.getName());

    private CrashPoint() {
    }

    /** Between the uploads and the manifest: the checkpoint's files are stored, it is not committed. */
    static void beforeManifest(int partition, long checkpointId) {
        pauseIf("before-manifest", partition, checkpointId);
    }

    /** Between the manifest and the acknowledgement: committed, the source not yet told. */
    static void beforeAck(int partition, long checkpointId) {
        pauseIf("before-ack", partition, checkpointId);
    }

    private static void pauseIf(String point, int partition, long checkpointId) {
        if (!AT.equals(point) || partition != 0 || checkpointId < 3) {
            return;
        }
        LOG.log(Level.WARNING, "PAUSED at {0} of checkpoint {1} of partition {2} ({3}): waiting to be killed",
                point, checkpointId, partition, PROPERTY);
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
