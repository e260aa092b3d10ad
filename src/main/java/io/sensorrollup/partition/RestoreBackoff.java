package io.sensorrollup.partition;

import io.sensorrollup.checkpoint.CheckpointDamagedException;
import java.lang.System.Logger.Level;

/**
 * When and why a partition's restore is tried again. The store down is retried after 250 ms, doubling to
 * 10 s; a damaged newest checkpoint or a state behind the acknowledged position needs an operator, so it is
 * tried at the slow pace at once and logged as an error when it first appears. Never a reason to run from an
 * older state or none.
 */
final class RestoreBackoff {

    private static final System.Logger LOG = System.getLogger(RestoreBackoff.class.getName());
    private static final long FIRST_RETRY_MILLIS = 250;
    private static final long MAX_RETRY_MILLIS = 10_000;

    private final int partition;
    private volatile String waitsFor;

    RestoreBackoff(int partition) {
        this.partition = partition;
    }

    /** Why the restore waits, as the last failed attempt said; null before the first failure. */
    String waitsFor() {
        return waitsFor;
    }

    /** Notes the failure of attempt {@code attempt} (from 1), logs it, and says how long to wait before the next. */
    long failed(int attempt, Exception why) {
        boolean needsOperator = why instanceof RestoreRefusedException || why instanceof CheckpointDamagedException;
        long pause = needsOperator ? MAX_RETRY_MILLIS
                : Math.min(MAX_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(attempt - 1, 10));
        String reason = why instanceof RestoreRefusedException ? why.getMessage()
                : why instanceof CheckpointDamagedException ? "its newest checkpoint is damaged, so it is not restored"
                        + " from an older one: " + why.getMessage()
                : "the checkpoint store or the source did not answer: " + why.getMessage();
        if (!reason.equals(waitsFor)) {
            LOG.log(needsOperator ? Level.ERROR : Level.WARNING, "Partition {0} is not restored yet ({1}); trying again"
                    + " every {2} ms at most", partition, reason, pause);
        } else if (pause < MAX_RETRY_MILLIS) {
            LOG.log(Level.INFO, "Partition {0}: still not restored; trying again in {1} ms", partition, pause);
        }
        waitsFor = reason;
        return pause;
    }
}
