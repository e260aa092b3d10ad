package io.sensorrollup.ops.dev;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The repository's local servers ({@code dev/services}): starts them when they are down and reads
 * the endpoints and generated credentials they were started with. Used by dev mode and the tests;
 * nothing in production calls it.
 */
public final class LocalServers {

    private final Path repo;

    public LocalServers(Path repo) {
        this.repo = repo;
    }

    /** The repository that holds {@code dev/services}, found from {@code start} upwards, or null. */
    public static LocalServers find(Path start) {
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve("dev/services"))) {
                return new LocalServers(dir);
            }
        }
        return null;
    }

    /** Runs {@code dev/services up} (a quick no-op when all four already answer). */
    public void up() {
        run("up");
    }

    public void up(String server) {
        run("up", server);
    }

    public void down(String server) {
        run("down", server);
    }

    /** The {@code KEY=value} lines of {@code .local/services.env}. */
    public Map<String, String> env() {
        return envFile(".local/services.env");
    }

    /** The {@code KEY=value} lines of a file {@code dev/services} wrote, relative to the repository. */
    public Map<String, String> envFile(String file) {
        Map<String, String> env = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(repo.resolve(file))) {
                int eq = line.indexOf('=');
                if (eq > 0 && !line.startsWith("#")) {
                    env.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("dev/services wrote no " + repo.resolve(file), e);
        }
        return env;
    }

    /** Runs {@code dev/services} with {@code args}, e.g. {@code up --secure}; fails when it exits non-zero. */
    public void run(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = repo.resolve("dev/services").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        try {
            // through System.out, not the inherited descriptors: a test JVM that Maven forks takes what reaches its
            // own stdout for a corrupted channel, and keeps it out of the test's output
            Process process = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true).start();
            try (BufferedReader output = process.inputReader()) {
                output.lines().forEach(System.out::println);
            }
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running dev/services", e);
        }
    }
}
