package io.sensorrollup.checkpoint.runtime;

import io.sensorrollup.checkpoint.CheckpointLocation;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithConverter;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.Optional;

/** {@code rollup.checkpoint.*} */
@ConfigMapping(prefix = "rollup.checkpoint")
public interface CheckpointConfig {

    String STORE_KEY = "rollup.checkpoint.store";

    /** {@code s3://bucket/prefix} or {@code file:/dir}. */
    @WithDefault("s3://sensor-rollup/checkpoints")
    @WithConverter(CheckpointLocationConverter.class)
    CheckpointLocation store();

    @WithDefault("60s")
    Duration interval();

    /** Completed checkpoints kept per partition; older ones and the files only they reference are deleted. */
    @WithDefault("3")
    @Min(1)
    int retained();

    /**
     * How old a file no checkpoint lists must be before retention deletes it: longer than any checkpoint's
     * upload, so the files of a checkpoint still in flight are never taken for leftovers of a failed one.
     */
    @WithDefault("10m")
    Duration strayFileGrace();

    /**
     * How often each pod looks for savepoints requested on any pod (in the checkpoint store) and takes the parts of
     * the partitions it owns: one listing per poll.
     */
    @WithDefault("5s")
    Duration savepointPoll();

    /**
     * Take a savepoint of the whole topic this often, named {@code periodic-<start of the period, UTC>}: every pod
     * computes the same name, so one request stands for the period whichever pod makes it. Off when absent.
     */
    Optional<Duration> periodicSavepoint();

    /** Periodic savepoints kept (the newest ones); older periodic ones are deleted. Named savepoints are kept until deleted. */
    @WithDefault("7")
    @Min(1)
    int periodicSavepointsRetained();

    /**
     * Start from this savepoint (Flink's {@code -s}): with every pod stopped, the first start-up makes each
     * partition's part of it the newest checkpoint and rewinds the subscription to its position; later
     * start-ups with the setting still there see it applied and leave state and cursor alone.
     */
    Optional<@Pattern(regexp = "[A-Za-z0-9._-]{1,100}", message = "must be a savepoint name: 1-100 letters, digits, '.', '_' or '-'")
            String> restoreSavepoint();
}
