package io.sensorrollup.checkpoint.runtime;

import io.sensorrollup.checkpoint.CheckpointLocation;
import org.eclipse.microprofile.config.spi.Converter;

/** Parses {@code rollup.checkpoint.store} while the configuration loads, so a bad value stops start-up at once. */
public class CheckpointLocationConverter implements Converter<CheckpointLocation> {

    @Override
    public CheckpointLocation convert(String value) {
        return CheckpointLocation.parse(CheckpointConfig.STORE_KEY, value);
    }
}
