package io.sensorrollup.checkpoint.runtime;

import io.sensorrollup.checkpoint.CheckpointLocation;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/** Makes sure the configured checkpoint location exists, and answers whether it is reachable. */
@ApplicationScoped
public class CheckpointStorage {

    private final CheckpointLocation location;
    private final S3Client s3;

    CheckpointStorage(CheckpointConfig config, S3Client s3) {
        this.location = config.store();
        this.s3 = s3;
    }

    public CheckpointLocation location() {
        return location;
    }

    /** Creates the bucket or directory when missing. */
    public void ensureExists() throws IOException {
        if (location instanceof CheckpointLocation.S3 bucket) {
            try {
                s3.headBucket(b -> b.bucket(bucket.bucket()));
            } catch (NoSuchBucketException missing) {
                s3.createBucket(b -> b.bucket(bucket.bucket()));
            }
        } else if (location instanceof CheckpointLocation.LocalDirectory dir) {
            Files.createDirectories(dir.directory());
        }
    }

    /** Throws unless the bucket answers, or the directory is writable. */
    public void ping() throws IOException {
        if (location instanceof CheckpointLocation.S3 bucket) {
            s3.headBucket(b -> b.bucket(bucket.bucket()));
        } else if (location instanceof CheckpointLocation.LocalDirectory dir && !Files.isWritable(dir.directory())) {
            throw new IOException(dir.directory() + " is not a writable directory");
        }
    }
}
