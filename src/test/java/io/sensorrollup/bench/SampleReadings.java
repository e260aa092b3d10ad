package io.sensorrollup.bench;

import java.nio.charset.StandardCharsets;

/** One line of each device kind, as /work/shared/bench/gen_readings.py writes them. */
final class SampleReadings {

    static final String[] LINES = {
        "{\"device_id\":\"sensor_00347\",\"device_type\":\"motion-sensor\",\"customer_id\":\"customer_04\",\"site_id\":\"site_002\",\"latitude\":3.130263,\"longitude\":88.439499,\"altitude\":238.12,\"timestamp\":1767225600000,\"light\":159.987,\"battery\":3.114,\"signal\":-50.593,\"motion_detected\":false,\"error_count\":0,\"status\":0,\"packets_sent\":9,\"packets_received\":5,\"bytes_sent\":15530,\"bytes_received\":51084}",
        "{\"device_id\":\"sensor_00330\",\"device_type\":\"freezer-probe\",\"customer_id\":\"customer_01\",\"site_id\":\"site_008\",\"latitude\":-10.213857,\"longitude\":-144.352212,\"altitude\":244.67,\"timestamp\":1767225600000,\"temperature\":-22.673,\"battery\":38.285,\"signal\":-70.293,\"error_count\":1,\"status\":0,\"packets_sent\":44,\"packets_received\":29,\"bytes_sent\":62246,\"bytes_received\":24375}",
        "{\"device_id\":\"sensor_00228\",\"device_type\":\"env-sensor\",\"customer_id\":\"customer_04\",\"site_id\":\"site_021\",\"latitude\":-59.678913,\"longitude\":-17.818666,\"altitude\":296.91,\"timestamp\":1767225600000,\"temperature\":18.219,\"humidity\":56.713,\"pressure\":1021.639,\"co2\":1997.806,\"noise\":42.011,\"light\":135.728,\"battery\":7.405,\"signal\":-97.914,\"error_count\":2,\"status\":1,\"packets_sent\":6,\"packets_received\":44,\"bytes_sent\":63474,\"bytes_received\":55476}",
        "{\"device_id\":\"sensor_00245\",\"device_type\":\"co2-monitor\",\"customer_id\":\"customer_00\",\"site_id\":\"site_015\",\"latitude\":16.174166,\"longitude\":-2.978711,\"altitude\":45.62,\"timestamp\":1767225600000,\"temperature\":22.885,\"humidity\":66.15,\"co2\":1717.343,\"battery\":7.375,\"signal\":-41.933,\"error_count\":2,\"status\":0,\"packets_sent\":29,\"packets_received\":30,\"bytes_sent\":44635,\"bytes_received\":33969}",
    };

    static byte[][] bytes() {
        byte[][] out = new byte[LINES.length][];
        for (int i = 0; i < LINES.length; i++) {
            out[i] = LINES[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    private SampleReadings() {
    }
}
