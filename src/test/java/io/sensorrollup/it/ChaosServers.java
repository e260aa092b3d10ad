package io.sensorrollup.it;

import java.io.IOException;
import java.util.List;

/** Faults of the local servers through {@code dev/services}, which stops only what it started (by pid file). */
public final class ChaosServers {

    private static final List<String> SERVERS = List.of("pulsar", "s3", "clickhouse", "postgres");

    /**
     * One fault of a server at a time: a hang scheduled while the server is down would find nothing to pause
     * (dev/chaos seed 8137: s3 paused during its 67 s down), so overlapping faults of one server take turns.
     */
    private static final java.util.Map<String, Object> TURNS = new java.util.concurrent.ConcurrentHashMap<>();

    private ChaosServers() {
    }

    /** Down for {@code millis}, then up again (up waits until it answers). */
    static void restart(String server, long millis) throws IOException, InterruptedException {
        synchronized (turn(server)) {
            services("down", server);
            Thread.sleep(millis);
            services("up", server);
        }
    }

    /** Hung (SIGSTOP of it and its children) for {@code millis}, then continued. */
    public static void hang(String server, long millis) throws IOException, InterruptedException {
        synchronized (turn(server)) {
            services("pause", server);
            try {
                Thread.sleep(millis);
            } finally {
                services("resume", server);
            }
        }
    }

    private static Object turn(String server) {
        return TURNS.computeIfAbsent(server, s -> new Object());
    }

    /** Every server continued and up, whatever a fault left behind. */
    static void healAll() throws IOException, InterruptedException {
        for (String server : SERVERS) {
            services("resume", server); // fails harmlessly for one that is down
        }
        services("up");
    }

    public static void services(String... args) throws IOException, InterruptedException {
        try {
            LocalServersResource.servers().run(args);
        } catch (IllegalStateException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("interrupted while running dev/services");
            }
            if (!args[0].equals("resume")) { // fails harmlessly for a server that is down
                throw new IOException(e.getMessage(), e);
            }
        }
    }
}
