package io.sensorrollup.source.simulator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Positive;

/** {@code rollup.simulator.*}: the in-process fleet of the {@code embedded} profile. */
@ConfigMapping(prefix = "rollup.simulator")
public interface SimulatorConfig {

    @WithDefault("500")
    @Positive
    int devices();

    /** Readings per second over the whole fleet. */
    @WithDefault("2000")
    @Positive
    int rate();
}
