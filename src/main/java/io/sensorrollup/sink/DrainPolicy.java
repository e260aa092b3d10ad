package io.sensorrollup.sink;

import java.time.Duration;

/**
 * When a partition's outbox is written and how failed writes are retried.
 *
 * @param batchSize   rows per write; a full batch is written at once
 * @param maxDelay    a row waits at most this long for its batch to fill
 * @param firstRetry  the pause after the first failed write, doubled after each further failure
 * @param maxRetry    the cap of that pause
 */
public record DrainPolicy(int batchSize, Duration maxDelay, Duration firstRetry, Duration maxRetry) {

    public DrainPolicy {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive: " + batchSize);
        }
        if (firstRetry.isNegative() || firstRetry.isZero() || maxRetry.compareTo(firstRetry) < 0) {
            throw new IllegalArgumentException("need 0 < firstRetry <= maxRetry: " + firstRetry + ", " + maxRetry);
        }
    }

    /** The pause before retrying after {@code failures} failed writes in a row (at least 1). */
    Duration retryAfter(int failures) {
        int doublings = Math.min(failures - 1, 30);
        long millis = firstRetry.toMillis() << doublings;
        return millis <= 0 || millis > maxRetry.toMillis() ? maxRetry : Duration.ofMillis(millis);
    }
}
