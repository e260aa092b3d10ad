package io.sensorrollup.state;

import io.sensorrollup.window.TimeMode;
import io.sensorrollup.window.WindowSpec;
import java.time.Duration;
import java.util.Objects;

/**
 * What the window engine needs to know (plain values; the Quarkus configuration maps onto it).
 *
 * @param windows the window sizes ({@code rollup.windows}, e.g. {@code 1m,5m,1h})
 * @param maxOutOfOrderness how far behind the newest timestamp a reading may be without being late
 *     (event time only; processing time uses 0)
 * @param maxFutureSkew how far after its message's publish time a reading's timestamp may lie; later is invalid
 *     ({@code future}, event time only)
 * @param idleTimeout wall-clock time without messages after which a partition's watermark advances by itself
 * @param allowedLateness how long after its close a window still takes late readings (re-emitted with
 *     version + 1)
 * @param timeMode event or processing time
 * @param cacheBytes the write-back cache budget of ONE partition (estimated heap bytes of cached
 *     accumulators); a process owning P partitions uses up to P times this
 */
public record EngineConfig(
        WindowSpec windows,
        Duration maxOutOfOrderness,
        Duration maxFutureSkew,
        Duration idleTimeout,
        Duration allowedLateness,
        TimeMode timeMode,
        long cacheBytes) {

    public static final Duration DEFAULT_MAX_OUT_OF_ORDERNESS = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofHours(1);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final long DEFAULT_CACHE_BYTES = 48L << 20;

    public EngineConfig {
        Objects.requireNonNull(windows, "windows");
        Objects.requireNonNull(timeMode, "timeMode");
        if (maxOutOfOrderness.isNegative()) {
            throw new IllegalArgumentException("max-out-of-orderness must not be negative: " + maxOutOfOrderness);
        }
        if (maxFutureSkew.isNegative() || maxFutureSkew.isZero()) {
            throw new IllegalArgumentException("max-future-skew must be positive: " + maxFutureSkew);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idle-timeout must be positive: " + idleTimeout);
        }
        if (allowedLateness.isNegative()) {
            throw new IllegalArgumentException("allowed-lateness must not be negative: " + allowedLateness);
        }
        if (cacheBytes < 0) {
            throw new IllegalArgumentException("cache bytes must not be negative: " + cacheBytes);
        }
    }

    /**
     * Event time, 5 s out-of-orderness, 1 h future skew, 30 s idle timeout, no allowed lateness, 48 MB cache per
     * partition.
     */
    public static EngineConfig defaults(WindowSpec windows) {
        return new EngineConfig(windows, DEFAULT_MAX_OUT_OF_ORDERNESS, DEFAULT_MAX_FUTURE_SKEW, DEFAULT_IDLE_TIMEOUT,
                Duration.ZERO, TimeMode.EVENT, DEFAULT_CACHE_BYTES);
    }

    public EngineConfig withAllowedLateness(Duration d) {
        return new EngineConfig(windows, maxOutOfOrderness, maxFutureSkew, idleTimeout, d, timeMode, cacheBytes);
    }

    public EngineConfig withMaxOutOfOrderness(Duration d) {
        return new EngineConfig(windows, d, maxFutureSkew, idleTimeout, allowedLateness, timeMode, cacheBytes);
    }

    public EngineConfig withMaxFutureSkew(Duration d) {
        return new EngineConfig(windows, maxOutOfOrderness, d, idleTimeout, allowedLateness, timeMode, cacheBytes);
    }

    public EngineConfig withIdleTimeout(Duration d) {
        return new EngineConfig(windows, maxOutOfOrderness, maxFutureSkew, d, allowedLateness, timeMode, cacheBytes);
    }

    public EngineConfig withTimeMode(TimeMode mode) {
        return new EngineConfig(windows, maxOutOfOrderness, maxFutureSkew, idleTimeout, allowedLateness, mode, cacheBytes);
    }

    public EngineConfig withCacheBytes(long bytes) {
        return new EngineConfig(windows, maxOutOfOrderness, maxFutureSkew, idleTimeout, allowedLateness, timeMode, bytes);
    }
}
