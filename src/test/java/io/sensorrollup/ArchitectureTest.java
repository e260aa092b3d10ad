package io.sensorrollup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The design rules of the README, checked on the sources: stages in data-flow order
 * (source → window → state → checkpoint → partition → sink, then ops), a stage imports only itself and the
 * stages before it; a stage's own package is plain Java, its frameworks live in sub-packages.
 */
class ArchitectureTest {

    private static final List<String> STAGES = List.of("source", "window", "state", "checkpoint", "partition", "sink", "ops");
    private static final Path MAIN = Path.of("src/main/java/io/sensorrollup");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)", Pattern.MULTILINE);
    private static final List<String> FRAMEWORKS = List.of(
            "io.quarkus.", "jakarta.", "io.smallrye.", "io.vertx.", "org.eclipse.microprofile.",
            "org.apache.pulsar.", "software.amazon.", "com.clickhouse.", "io.micrometer.");

    @Test
    void stagesImportOnlyUpstream() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path file : sources()) {
            String stage = stageOf(file);
            for (String imported : imports(file)) {
                if (imported.startsWith("io.sensorrollup.")) {
                    String target = imported.substring("io.sensorrollup.".length()).split("\\.")[0];
                    if (STAGES.indexOf(target) > STAGES.indexOf(stage)) {
                        violations.add(MAIN.relativize(file) + " imports " + imported + " from downstream");
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void enginePackagesArePlainJava() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path file : sources()) {
            boolean stagePackage = MAIN.relativize(file).getNameCount() == 2 && !stageOf(file).equals("ops");
            if (stagePackage) {
                for (String imported : imports(file)) {
                    if (FRAMEWORKS.stream().anyMatch(imported::startsWith)) {
                        violations.add(MAIN.relativize(file) + " imports " + imported);
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void everySourceIsInAStage() throws IOException {
        List<String> strays = sources().stream()
                .filter(f -> MAIN.relativize(f).getNameCount() < 2 || !STAGES.contains(stageOf(f)))
                .map(f -> MAIN.relativize(f).toString())
                .toList();
        assertEquals(List.of(), strays);
    }

    private static String stageOf(Path file) {
        return MAIN.relativize(file).getName(0).toString();
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }

    private static List<String> imports(Path file) throws IOException {
        Matcher m = IMPORT.matcher(Files.readString(file));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
