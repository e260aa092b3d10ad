package io.sensorrollup.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** File-system chores around state directories. */
public final class Directories {

    private Directories() {
    }

    /** Deletes {@code dir} and everything below it; nothing when it does not exist. */
    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    /**
     * Replaces {@code dir} with a copy of {@code source}'s files: SST files hard-linked where the file system
     * allows (they are immutable), the others copied, so {@code source} is left untouched.
     */
    public static void replaceWithCopy(Path dir, Path source) throws IOException {
        deleteRecursively(dir);
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = dir.resolve(f.getFileName().toString());
                if (f.getFileName().toString().endsWith(".sst")) {
                    try {
                        Files.createLink(target, f);
                        continue;
                    } catch (IOException | UnsupportedOperationException e) {
                        // another file system: copy
                    }
                }
                Files.copy(f, target);
            }
        }
    }
}
