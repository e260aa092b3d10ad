package io.sensorrollup.it;

import java.io.IOException;
import java.util.List;

/** Faults of the local servers through {@code dev/services}, which stops only what it started (by pid file). */
public final class ChaosServers {

    private static final List<String> SERVERS = List.of("pulsar", "s3", "clickhouse", "postgres");

    private ChaosServers() {
    }

    /** Down for {@code millis}, then up again (up waits until it answers). */
    static void restart(String server, long millis) throws IOException, InterruptedException {
        services("down", server);
        Thread.sleep(millis);
        services("up", server);
    }

    /** Hung (SIGSTOP of it and its children) for {@code millis}, then continued. */
    public static void hang(String server, long millis) throws IOException, InterruptedException {
        services("pause", server);
        try {
            Thread.sleep(millis);
        } finally {
            services("resume", server);
        }
    }

    /** Every server continued and up, whatever a fault left behind. */
    static void healAll() throws IOException, InterruptedException {
        for (String server : SERVERS) {
            services("resume", server); // fails harmlessly for one that is down
        }
        services("up");
    }

    public static void services(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("dev/services"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        int code = p.waitFor();
        if (code != 0 && !args[0].equals("resume")) {
            throw new IOException(String.join(" ", command) + " exited " + code);
        }
    }
}
