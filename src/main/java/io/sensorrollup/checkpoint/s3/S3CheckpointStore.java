package io.sensorrollup.checkpoint.s3;

import io.sensorrollup.checkpoint.CheckpointLocation;
import io.sensorrollup.checkpoint.CheckpointStore;
import io.sensorrollup.checkpoint.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link CheckpointStore} in an S3 bucket under a key prefix. S3 writes are atomic and durable when
 * they return; {@link #putIfAbsent} is a conditional put ({@code If-None-Match: *}), which S3 answers
 * with 412 when the key exists. SDK failures surface as {@link IOException}, as the interface promises.
 */
public final class S3CheckpointStore implements CheckpointStore {

    /** DeleteObjects takes at most this many keys. */
    private static final int DELETE_BATCH = 1000;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    /** @param prefix a key prefix without leading or trailing slash, or empty for the bucket's root */
    public S3CheckpointStore(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix.isEmpty() ? "" : prefix.replaceAll("^/+|/+$", "") + "/";
    }

    public S3CheckpointStore(S3Client s3, CheckpointLocation.S3 location) {
        this(s3, location.bucket(), location.prefix());
    }

    @Override
    public void put(String key, Path file) throws IOException {
        try {
            s3.putObject(b -> b.bucket(bucket).key(prefix + key), RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw failed("put", key, e);
        }
    }

    @Override
    public boolean putIfAbsent(String key, byte[] bytes) throws IOException {
        try {
            s3.putObject(b -> b.bucket(bucket).key(prefix + key).ifNoneMatch("*"), RequestBody.fromBytes(bytes));
            return true;
        } catch (S3Exception e) {
            // 412: the key exists; 409: a concurrent conditional write to it is in progress (AWS).
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return holds(key, bytes);
            }
            throw failed("put if absent", key, e);
        } catch (SdkException e) {
            throw failed("put if absent", key, e);
        }
    }

    /**
     * Whether the existing object is exactly {@code bytes}: then the 412 answered the SDK's retry of this
     * very write, whose first attempt was stored but whose response was lost (seen against s3proxy in
     * about one small PUT in twenty, and possible on any network). Any other content is another writer's.
     */
    private boolean holds(String key, byte[] bytes) throws IOException {
        try {
            return Arrays.equals(getBytes(key), bytes);
        } catch (NoSuchFileException stillInProgress) {
            // the write in progress (409) may be this one's own first attempt: the caller reads the key back later
            throw new IOException("S3 put if absent of " + describe(key) + " was refused, but the key holds nothing yet:"
                    + " whether this write is stored is unknown", stillInProgress);
        }
    }

    @Override
    public void get(String key, Path target) throws IOException {
        try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(prefix + key))) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (SdkException e) {
            throw missingOrFailed("get", key, e);
        }
    }

    @Override
    public byte[] getBytes(String key) throws IOException {
        try {
            return s3.getObjectAsBytes(b -> b.bucket(bucket).key(prefix + key)).asByteArray();
        } catch (SdkException e) {
            throw missingOrFailed("get", key, e);
        }
    }

    @Override
    public List<StoredObject> list(String keyPrefix) throws IOException {
        List<StoredObject> objects = new ArrayList<>();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix + keyPrefix)).contents()) {
                objects.add(new StoredObject(object.key().substring(prefix.length()), object.size(), object.lastModified()));
            }
        } catch (SdkException e) {
            throw failed("list", keyPrefix, e);
        }
        return objects;
    }

    @Override
    public void delete(Collection<String> keys) throws IOException {
        List<ObjectIdentifier> all = keys.stream().map(k -> ObjectIdentifier.builder().key(prefix + k).build()).toList();
        for (int from = 0; from < all.size(); from += DELETE_BATCH) {
            List<ObjectIdentifier> batch = all.subList(from, Math.min(all.size(), from + DELETE_BATCH));
            DeleteObjectsResponse response;
            try {
                response = s3.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(batch).quiet(true).build()));
            } catch (SdkException e) {
                throw failed("delete", batch.size() + " keys from " + batch.get(0).key(), e);
            }
            if (response.hasErrors() && !response.errors().isEmpty()) {
                var first = response.errors().get(0);
                throw new IOException("S3 could not delete " + response.errors().size() + " of " + batch.size()
                        + " objects, e.g. " + describe(first.key().substring(prefix.length())) + ": " + first.code()
                        + " " + first.message());
            }
        }
    }

    @Override
    public String describe(String key) {
        return "s3://" + bucket + "/" + prefix + key;
    }

    private IOException missingOrFailed(String what, String key, SdkException e) {
        if (e instanceof NoSuchKeyException || (e instanceof S3Exception s3e && s3e.statusCode() == 404)) {
            NoSuchFileException missing = new NoSuchFileException(describe(key));
            missing.initCause(e);
            return missing;
        }
        return failed(what, key, e);
    }

    private IOException failed(String what, String key, SdkException e) {
        return new IOException("S3 " + what + " of " + describe(key) + " failed: " + e.getMessage(), e);
    }
}
