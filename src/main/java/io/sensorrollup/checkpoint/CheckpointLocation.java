package io.sensorrollup.checkpoint;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * Where checkpoints live: {@code s3://bucket/prefix} or, for one machine, {@code file:/dir}
 * (CONTRACT §6). Parsed once at start-up so a bad value stops the service with the key's name.
 */
public sealed interface CheckpointLocation {

    record S3(String bucket, String prefix) implements CheckpointLocation {
        @Override
        public String toString() {
            return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
        }
    }

    record LocalDirectory(Path directory) implements CheckpointLocation {
        @Override
        public String toString() {
            return directory.toUri().toString();
        }
    }

    /**
     * @param key the configuration key the value came from, named in the error message
     * @throws IllegalArgumentException naming {@code key} when {@code value} is not a usable location
     */
    static CheckpointLocation parse(String key, String value) {
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (URISyntaxException e) {
            throw invalid(key, value, e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        switch (scheme) {
            case "s3": {
                String bucket = uri.getHost();
                if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                    throw invalid(key, value, "the bucket name must be 3-63 lower-case letters, digits, dots or dashes");
                }
                String prefix = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+|/+$", "");
                return new S3(bucket, prefix);
            }
            case "file": {
                if (uri.getPath() == null || uri.getPath().isEmpty()) {
                    throw invalid(key, value, "a file location needs an absolute path, as in file:/var/lib/sensor-rollup/checkpoints");
                }
                return new LocalDirectory(Path.of(uri.getPath()));
            }
            default:
                throw invalid(key, value, "use s3://bucket/prefix or file:/path");
        }
    }

    private static IllegalArgumentException invalid(String key, String value, String why) {
        return new IllegalArgumentException(key + "=" + value + " is not a checkpoint location: " + why);
    }
}
