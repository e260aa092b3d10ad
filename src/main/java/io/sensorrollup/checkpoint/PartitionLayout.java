package io.sensorrollup.checkpoint;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a partition's checkpoint files live in the store:
 *
 * <pre>
 * partition-&lt;p&gt;/shared/&lt;stem&gt;-&lt;sha256 prefix&gt;.sst   SST and blob files, shared by the checkpoints that list them
 * partition-&lt;p&gt;/chk-&lt;n&gt;/&lt;name&gt;-&lt;sha256 prefix&gt;    the other files of checkpoint n (MANIFEST, OPTIONS, CURRENT)
 * partition-&lt;p&gt;/chk-&lt;n&gt;/_metadata                  the manifest, written last: the commit point
 * partition-&lt;p&gt;/chk-&lt;n&gt;/_savepoint-deleted        savepoint n was deleted while it was the newest manifest
 * </pre>
 *
 * Every data file's stored name carries a digest of its content. SST names are unique only within one
 * RocksDB lineage: after a restore from an older checkpoint a different {@code 000123.sst} can appear,
 * and two writers racing for the same {@code chk-n} write different MANIFEST files under one name. With
 * the digest in the name neither can overwrite bytes a manifest already lists.
 */
final class PartitionLayout {

    static final String MANIFEST = "_metadata";
    static final String SAVEPOINT_DELETED = "_savepoint-deleted";
    private static final int DIGEST_CHARS = 16;
    private static final Pattern CHECKPOINT_DIR = Pattern.compile("chk-(\\d{1,18})/.*");
    private static final Pattern PARTITION_KEY = Pattern.compile("partition-(0|[1-9]\\d{0,8})/.*");

    private final int partition;
    private final String prefix;

    PartitionLayout(int partition) {
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0: " + partition);
        }
        this.partition = partition;
        this.prefix = "partition-" + partition + "/";
    }

    int partition() {
        return partition;
    }

    /** {@code partition-<p>/}, with the slash, so partition 3 does not match partition 30. */
    String prefix() {
        return prefix;
    }

    String key(String path) {
        return prefix + path;
    }

    /** The path relative to the partition's directory. */
    String path(String key) {
        if (!key.startsWith(prefix)) {
            throw new IllegalArgumentException(key + " is not under " + prefix);
        }
        return key.substring(prefix.length());
    }

    static String checkpointDir(long checkpointId) {
        return "chk-" + checkpointId + "/";
    }

    static String manifestPath(long checkpointId) {
        return checkpointDir(checkpointId) + MANIFEST;
    }

    /**
     * Marks savepoint n as deleted while its manifest has to stay: it is the partition's newest, see
     * {@link Checkpoints#deleteSavepoint}. Retention deletes it with the manifest.
     */
    static String savepointDeletedPath(long checkpointId) {
        return checkpointDir(checkpointId) + SAVEPOINT_DELETED;
    }

    /** The partition a key of the store belongs to, or -1 for a key outside every partition's directory. */
    static int partitionOf(String key) {
        Matcher m = PARTITION_KEY.matcher(key);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    static boolean isManifest(String path) {
        return path.endsWith("/" + MANIFEST) && checkpointIdOf(path).isPresent();
    }

    /** n of a path under {@code chk-<n>/}, or empty for a path elsewhere. */
    static OptionalLong checkpointIdOf(String path) {
        Matcher m = CHECKPOINT_DIR.matcher(path);
        return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    /** SST and blob files are immutable for their whole life, so later checkpoints can share them. */
    static boolean isShared(String fileName) {
        return fileName.endsWith(".sst") || fileName.endsWith(".blob");
    }

    /** Where a local file of checkpoint n with this content is stored. */
    static String storedPath(long checkpointId, String fileName, String sha256) {
        String digest = sha256.substring(0, DIGEST_CHARS);
        int dot = fileName.lastIndexOf('.');
        String stored = dot > 0
                ? fileName.substring(0, dot) + "-" + digest + fileName.substring(dot)
                : fileName + "-" + digest;
        return (isShared(fileName) ? "shared/" : checkpointDir(checkpointId)) + stored;
    }
}
