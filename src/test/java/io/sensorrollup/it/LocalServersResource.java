package io.sensorrollup.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sensorrollup.ops.dev.LocalServers;
import java.nio.file.Path;
import java.util.Map;

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
