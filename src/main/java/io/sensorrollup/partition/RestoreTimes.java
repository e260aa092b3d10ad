package io.sensorrollup.partition;

import java.time.Duration;

/**
 * Where a partition's restore spent its time until it runs, for the line an operator reads after a hand-over. The
 * claim (committing the state again as the next checkpoint, which fences the previous owner) is not in it: it
 * uploads while the partition already runs, and {@link TaskEvents#claimed} reports it.
 *
 * @param total from the assignment until the partition runs, retries and waiting for its previous task included
 * @param fetch listing the newest checkpoint, reading its manifest and downloading what the disk lacks
 * @param check asking the source whether it acknowledged beyond that checkpoint
 * @param open  opening the state from the checkpoint's files
 */
public record RestoreTimes(Duration total, Duration fetch, Duration check, Duration open) {

    static RestoreTimes of(Duration total) {
        return new RestoreTimes(total, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    RestoreTimes withTotal(Duration total) {
        return new RestoreTimes(total, fetch, check, open);
    }
}
