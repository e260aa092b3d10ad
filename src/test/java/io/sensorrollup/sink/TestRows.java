package io.sensorrollup.sink;

import io.sensorrollup.source.Reading;
import io.sensorrollup.window.Accumulator;
import io.sensorrollup.window.WindowKey;
import io.sensorrollup.window.WindowRow;

/** Hand-made rows for sink tests, bypassing the decoder (which would refuse some of them). */
public final class TestRows {

    private TestRows() {
    }

    /** One reading's one-minute window at {@code startMillis}, emitted {@code version} times. */
    public static WindowRow row(String deviceId, long startMillis, int version, double temperature) {
        Accumulator values = new Accumulator();
        values.add(new Reading().deviceId(deviceId).timestamp(startMillis + 1_000)
                .metadata("env-sensor", "customer-1", "site-1").metric(0, temperature), 1);
        for (int v = 0; v < version; v++) {
            values.nextVersion();
        }
        return new WindowRow(new WindowKey(deviceId, 60_000, startMillis), values);
    }
}
