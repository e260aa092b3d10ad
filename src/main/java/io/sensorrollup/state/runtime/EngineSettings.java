package io.sensorrollup.state.runtime;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.sensorrollup.state.EngineConfig;
import io.sensorrollup.window.TimeMode;
import io.sensorrollup.window.WindowSpec;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.microprofile.config.spi.Converter;

/** {@code rollup.windows}, {@code rollup.window.*} and {@code rollup.state.*}: the engine's settings (CONTRACT §2). */
@ConfigMapping(prefix = "rollup")
public interface EngineSettings {

    /** Window sizes computed side by side, e.g. {@code 1m,5m,1h}. */
    @WithDefault("1m")
    @WithConverter(WindowSpecConverter.class)
    WindowSpec windows();

    Window window();

    State state();

    interface Window {

        @WithDefault("5s")
        Duration maxOutOfOrderness();

        /** A reading stamped more than this after its message's publish time is invalid ({@code future}). */
        @WithDefault("1h")
        @WithConverter(PositiveDurationConverter.class)
        Duration maxFutureSkew();

        @WithDefault("30s")
        Duration idleTimeout();

        @WithDefault("0s")
        Duration allowedLateness();

        /** {@code event} (the reading's timestamp) or {@code processing} (arrival time). */
        @WithDefault("event")
        @WithConverter(TimeModeConverter.class)
        TimeMode time();
    }

    interface State {

        /** Local RocksDB directories, one per owned partition (a persistent volume in Kubernetes). */
        @WithDefault("${java.io.tmpdir}/sensor-rollup")
        Path dir();

        /** Write-back cache of open windows, per owned partition. */
        @WithDefault("48M")
        MemorySize cachePerPartition();

        /** RocksDB block cache shared by every partition of the pod. */
        @WithDefault("256M")
        MemorySize blockCache();

        /** RocksDB memtables of every partition of the pod together. */
        @WithDefault("128M")
        MemorySize writeBuffers();
    }

    default EngineConfig engineConfig() {
        return new EngineConfig(windows(), window().maxOutOfOrderness(), window().maxFutureSkew(), window().idleTimeout(),
                window().allowedLateness(), window().time(), state().cachePerPartition().asLongValue());
    }

    class WindowSpecConverter implements Converter<WindowSpec> {
        @Override
        public WindowSpec convert(String value) {
            return WindowSpec.parse(value);
        }
    }

    /** A duration that must be greater than zero; the config error then names the key. */
    class PositiveDurationConverter implements Converter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d = DurationConverter.parseDuration(value);
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("must be a positive duration, was " + value);
            }
            return d;
        }
    }

    class TimeModeConverter implements Converter<TimeMode> {
        @Override
        public TimeMode convert(String value) {
            return TimeMode.parse(value);
        }
    }
}
