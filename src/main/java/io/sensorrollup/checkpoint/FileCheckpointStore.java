package io.sensorrollup.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * A {@link CheckpointStore} in a local directory ({@code file:/dir}): one file per key. Every write goes
 * to a temporary file that is forced to disk and then renamed (or, for {@link #putIfAbsent}, hard-linked,
 * which fails when the name exists), and the directory is forced too, so a write is whole and durable
 * when the method returns. Temporary files left by a crash are named {@code .tmp-*} and show up in
 * {@link #list}, so retention removes them like any other stray file.
 */
public final class FileCheckpointStore implements CheckpointStore {

    private static final String TEMP_PREFIX = ".tmp-";

    private final Path root;

    public FileCheckpointStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public void put(String key, Path file) throws IOException {
        Path target = resolve(key);
        Path temp = writeTemp(target, out -> {
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = in.size();
                for (long done = 0; done < size; ) {
                    done += in.transferTo(done, size - done, out);
                }
            }
        });
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(target.getParent());
    }

    @Override
    public boolean putIfAbsent(String key, byte[] bytes) throws IOException {
        Path target = resolve(key);
        if (Files.exists(target)) {
            return false;
        }
        Path temp = writeTemp(target, out -> out.write(java.nio.ByteBuffer.wrap(bytes)));
        try {
            Files.createLink(target, temp);
            return true;
        } catch (FileAlreadyExistsException exists) {
            return false;
        } finally {
            Files.deleteIfExists(temp);
            forceDirectory(target.getParent());
        }
    }

    @Override
    public void get(String key, Path target) throws IOException {
        try (InputStream in = Files.newInputStream(existing(key))) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public byte[] getBytes(String key) throws IOException {
        return Files.readAllBytes(existing(key));
    }

    @Override
    public List<StoredObject> list(String prefix) throws IOException {
        // walk only the deepest directory the prefix names, then filter by the whole prefix
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : resolve(prefix.substring(0, slash));
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        List<StoredObject> objects = new ArrayList<>();
        // another writer's temporary file, or a directory retention empties, may vanish while this walks: it is not
        // listed (Files.walk would fail the whole listing with it)
        Files.walkFileTree(start, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                String key = keyOf(file);
                if (attributes.isRegularFile() && key.startsWith(prefix)) {
                    objects.add(new StoredObject(key, attributes.size(), attributes.lastModifiedTime().toInstant()));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e == null || e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        objects.sort(Comparator.comparing(StoredObject::key));
        return objects;
    }

    @Override
    public void delete(Collection<String> keys) throws IOException {
        for (String key : keys) {
            Path file = resolve(key);
            if (Files.deleteIfExists(file)) {
                removeEmptyParents(file.getParent());
            }
        }
    }

    @Override
    public String describe(String key) {
        return resolve(key).toUri().toString();
    }

    private Path resolve(String key) {
        if (key.isEmpty() || key.startsWith("/") || key.contains("\\")) {
            throw new IllegalArgumentException("not a store key: " + key);
        }
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new IllegalArgumentException("not a store key: " + key);
        }
        return path;
    }

    private Path existing(String key) throws NoSuchFileException {
        Path file = resolve(key);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(describe(key));
        }
        return file;
    }

    private String keyOf(Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    private interface Writer {
        void write(FileChannel out) throws IOException;
    }

    /** A forced temporary file beside {@code target}; retries when a concurrent delete removed the directory. */
    private Path writeTemp(Path target, Writer writer) throws IOException {
        for (int attempt = 1; ; attempt++) {
            createDirectories(target.getParent());
            Path temp = target.resolveSibling(TEMP_PREFIX + UUID.randomUUID());
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                writer.write(out);
                out.force(true);
                return temp;
            } catch (NoSuchFileException directoryRemoved) {
                if (attempt == 3) {
                    throw directoryRemoved;
                }
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(temp);
                throw e;
            }
        }
    }

    /** Creates the missing directories up to the root and forces each parent, so the new names are durable. */
    private void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (!dir.equals(root)) {
            createDirectories(dir.getParent());
        }
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException raced) {
            return;
        }
        if (!dir.equals(root)) {
            forceDirectory(dir.getParent());
        }
    }

    private void removeEmptyParents(Path dir) throws IOException {
        for (Path d = dir; d != null && d.startsWith(root) && !d.equals(root); d = d.getParent()) {
            try {
                Files.delete(d);
            } catch (DirectoryNotEmptyException | NoSuchFileException stillInUse) {
                return;
            }
        }
    }

    private static void forceDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
