package io.sensorrollup.checkpoint;

/**
 * One file of a checkpoint.
 *
 * @param name   the file's name in the RocksDB checkpoint directory, e.g. {@code 000123.sst}
 * @param path   where it is stored, relative to the partition's directory, e.g.
 *               {@code shared/000123-3fa4c1d2e5b60718.sst}; empty for an empty file, which is not stored
 *               (a flushed WAL is empty in every checkpoint) and which a restore creates
 * @param size   bytes
 * @param sha256 lower-case hex digest of the content
 */
public record CheckpointFile(String name, String path, long size, String sha256) {

    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    static CheckpointFile empty(String name) {
        return new CheckpointFile(name, "", 0, EMPTY_SHA256);
    }

    public boolean isEmpty() {
        return size == 0;
    }
}
