package io.sensorrollup.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Readings from the shared deterministic generator, {@code ../shared/bench/gen_readings.py}. */
final class Corpus {

    private Corpus() {
    }

    static List<String> generate(String... args) throws IOException, InterruptedException {
        Path repo = Path.of(System.getProperty("sensorrollup.repo", "")).toAbsolutePath();
        Path generator = repo.resolveSibling("shared").resolve("bench/gen_readings.py");
        if (!Files.exists(generator)) {
            throw new IllegalStateException("the corpus generator is not at " + generator);
        }
        List<String> command = new ArrayList<>(List.of("python3", generator.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
        return lines;
    }
}
