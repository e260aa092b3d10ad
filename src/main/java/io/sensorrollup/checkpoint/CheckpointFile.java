package io.sensorrollup.checkpoint;

/**
 * One file of a checkpoint.
 *
 * @param name   the file's name in the RocksDB checkpoint directory, e.g. {@code 000123.sst}
 * @param path   where it is stored, relative to the partition's directory, e.g. {@code shared/000123-3fa4c1d2e5b60718.sst}
 * @param size   bytes
 * @param sha256 lower-case hex digest of the content
 */
public record CheckpointFile(String name, String path, long size, String sha256) {
}
