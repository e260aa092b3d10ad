package io.sensorrollup.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * SHA-256 of the files of one RocksDB lineage. An SST or blob file is immutable and RocksDB never reuses
 * its number within a lineage, so its name and size identify its content and its digest is computed
 * once. The cache key adds the file's identity (inode where the file system has one) and modification
 * time, which a RocksDB checkpoint's hard links share with the database's file: a database recreated
 * from scratch under the same handle, whose {@code 000009.sst} is other bytes, misses the cache instead
 * of inheriting a wrong digest. A restore starts a new cache. The other files are small and hashed every
 * time: CURRENT is rewritten in place with the same length ({@code MANIFEST-000005} becomes
 * {@code MANIFEST-000013}), so its name and size say nothing about its content.
 */
final class ContentDigests {

    private record FileId(String name, long size, Object fileKey, FileTime modified) {

        static FileId of(Path file) throws IOException {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileId(file.getFileName().toString(), attributes.size(), attributes.fileKey(),
                    attributes.lastModifiedTime());
        }
    }

    private final Map<FileId, String> digests = new HashMap<>();

    /** Remembers the digest of a file known to have it, e.g. one just downloaded and verified. */
    void remember(Path file, String sha256) throws IOException {
        if (PartitionLayout.isShared(file.getFileName().toString())) {
            digests.put(FileId.of(file), sha256);
        }
    }

    String of(Path file) throws IOException {
        if (!PartitionLayout.isShared(file.getFileName().toString())) {
            return sha256(file);
        }
        FileId id = FileId.of(file);
        String known = digests.get(id);
        if (known == null) {
            known = sha256(file);
            digests.put(id, known);
        }
        return known;
    }

    /** Forgets files that are gone from the lineage (compacted away), so the cache stays small. */
    void retainOnly(Set<String> names) {
        digests.keySet().removeIf(id -> !names.contains(id.name()));
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
