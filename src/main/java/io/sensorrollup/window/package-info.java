/**
 * Windows in plain Java, without storage: window sizes ({@link io.sensorrollup.window.WindowSpec}), the
 * per-partition {@link io.sensorrollup.window.Watermark}, window keys and their close order
 * ({@link io.sensorrollup.window.WindowKey}, {@link io.sensorrollup.window.CloseSchedule}), the running
 * aggregate ({@link io.sensorrollup.window.Accumulator}) and the emitted row
 * ({@link io.sensorrollup.window.WindowRow}) with their versioned binary codecs. May import {@code source}.
 */
package io.sensorrollup.window;
