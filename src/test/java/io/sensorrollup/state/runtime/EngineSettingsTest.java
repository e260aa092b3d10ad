package io.sensorrollup.state.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The engine's settings as SmallRye Config maps them at start-up (no Quarkus needed). */
class EngineSettingsTest {

    private static EngineSettings settings(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(EngineSettings.class)
                .withConverter(Duration.class, 100, new DurationConverter()) // as Quarkus registers them
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build();
        return config.getConfigMapping(EngineSettings.class);
    }

    @Test
    void maxFutureSkewDefaultsToOneHour() {
        assertEquals(Duration.ofHours(1), settings(Map.of()).engineConfig().maxFutureSkew());
        assertEquals(Duration.ofMinutes(5),
                settings(Map.of("rollup.window.max-future-skew", "5m")).engineConfig().maxFutureSkew());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "0", "-1m", "PT-1S", "soon"})
    void aMaxFutureSkewThatIsNotPositiveStopsStartUpNamingTheKey(String value) {
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> settings(Map.of("rollup.window.max-future-skew", value)));
        assertTrue(e.getMessage().contains("rollup.window.max-future-skew"), e.getMessage());
        assertEquals(1, e.getMessage().split("SRCFG").length - 1, "only this key is refused: " + e.getMessage());
    }
}
