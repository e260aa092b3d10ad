package io.sensorrollup.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sensorrollup.ops.dev.LocalServers;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Integration tests run against the real servers of {@code dev/services} (no Docker here):
 * brings them up when they are down and points the configuration at them.
 */
public class LocalServersResource implements QuarkusTestResourceLifecycleManager {

    public static LocalServers servers() {
        LocalServers servers = LocalServers.find(Path.of(System.getProperty("sensorrollup.repo", "")));
        if (servers == null) {
            throw new IllegalStateException("no dev/services above " + Path.of("").toAbsolutePath());
        }
        return servers;
    }

    /** An S3 client for the local S3 server, as the service's configuration builds one. */
    public static S3Client s3(Map<String, String> env) {
        return S3Client.builder()
                .endpointOverride(URI.create(env.get("S3_ENDPOINT")))
                .region(Region.of(env.get("S3_REGION")))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(env.get("S3_ACCESS_KEY_ID"), env.get("S3_SECRET_ACCESS_KEY"))))
                .forcePathStyle(true)
                .httpClient(ApacheHttpClient.create())
                .build();
    }

    @Override
    public Map<String, String> start() {
        LocalServers servers = servers();
        servers.up();
        return servers.env();
    }

    @Override
    public void stop() {
        // the servers stay up for the next test class and for dev/test's own `down`
    }
}
