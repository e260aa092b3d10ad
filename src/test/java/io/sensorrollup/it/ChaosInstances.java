package io.sensorrollup.it;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The round's service instances, each a slot with its own state directory and consumer name (a pod of a
 * StatefulSet). A slot that should run and whose process exited on its own is started again after a second,
 * as the kubelet restarts a container; those exits are counted, with their codes, for the round's line.
 */
final class ChaosInstances implements AutoCloseable {

    private final IsolatedRun run;
    private final Map<String, String> common;
    private final Slot[] slots;
    private final List<String> unexpectedExits = java.util.Collections.synchronizedList(new ArrayList<>());

    final class Slot {
        final int index;
        private ServiceProcess process;
        private boolean wanted;

        Slot(int index) {
            this.index = index;
        }

        String name() {
            return "pod-" + index;
        }

        synchronized void start(Map<String, String> extra) throws IOException {
            Map<String, String> config = new HashMap<>(run.serviceConfig(name()));
            config.putAll(common);
            config.putAll(extra);
            process = ServiceProcess.launch(run.id() + "-" + name(), config);
            wanted = true;
        }

        synchronized void kill() throws InterruptedException {
            wanted = false;
            if (process != null) {
                process.kill();
            }
        }

        synchronized void terminate() throws InterruptedException {
            wanted = false;
            if (process != null) {
                process.close();
            }
        }

        synchronized void pause() throws IOException, InterruptedException {
            process.pause();
        }

        synchronized void resume() throws IOException, InterruptedException {
            process.resume();
        }

        synchronized boolean logged(String text) throws IOException {
            return process != null && process.logged(text);
        }

        /** Started unless it runs (a fault that failed half-way may have left it stopped). */
        synchronized void ensureRunning() throws IOException {
            if (process == null || !process.isAlive()) {
                start(Map.of());
            }
        }

        synchronized void superviseOnce() throws IOException {
            if (wanted && process != null && !process.isAlive()) {
                unexpectedExits.add(name() + " exited " + process.exitValue());
                start(Map.of());
            }
        }

        synchronized boolean isReady() {
            try {
                return process != null && process.isAlive() && process.get("/q/health/ready").statusCode() == 200;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }
    }

    ChaosInstances(IsolatedRun run, Map<String, String> common, int slots) {
        this.run = run;
        this.common = common;
        this.slots = new Slot[slots];
        for (int i = 0; i < slots; i++) {
            this.slots[i] = new Slot(i);
        }
    }

    Slot slot(int index) {
        return slots[index];
    }

    void supervise() throws IOException {
        for (Slot slot : slots) {
            slot.superviseOnce();
        }
    }

    List<String> unexpectedExits() {
        return List.copyOf(unexpectedExits);
    }

    /** The first {@code perSlot} ERROR lines each slot's log holds (over all its processes), for a failed round. */
    List<String> loggedErrors(int perSlot) throws IOException {
        List<String> errors = new ArrayList<>();
        for (Slot slot : slots) {
            java.nio.file.Path log = java.nio.file.Path.of("target", run.id() + "-" + slot.name() + ".log");
            if (java.nio.file.Files.exists(log)) {
                try (var lines = java.nio.file.Files.lines(log, java.nio.charset.StandardCharsets.UTF_8)) {
                    lines.filter(l -> l.contains(" ERROR ")).limit(perSlot)
                            .map(l -> slot.name() + ": " + (l.length() > 300 ? l.substring(0, 300) + "..." : l))
                            .forEach(errors::add);
                }
            }
        }
        return errors;
    }

    @Override
    public void close() throws InterruptedException {
        for (Slot slot : slots) {
            slot.terminate();
        }
    }
}
