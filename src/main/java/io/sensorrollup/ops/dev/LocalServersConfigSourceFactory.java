package io.sensorrollup.ops.dev;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.PropertiesConfigSource;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Dev mode's stand-in for Dev Services, which need Docker: in the {@code dev} profile, inside the
 * repository, start the local servers when they are down and read their endpoints and credentials.
 * Ordinal 260: above application.properties, below {@code .env} and real environment variables.
 */
public class LocalServersConfigSourceFactory implements ConfigSourceFactory {

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!context.getProfiles().contains("dev") || "false".equals(System.getenv("ROLLUP_DEV_START_SERVERS"))) {
            return List.of();
        }
        LocalServers servers = LocalServers.find(Path.of(""));
        if (servers == null) {
            return List.of();
        }
        servers.up();
        return List.of(new PropertiesConfigSource(servers.env(), "dev/services", 260));
    }
}
