package io.sensorrollup.ops;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Secrets from files, as Kubernetes mounts a Secret: for each secret below, {@code <key>} or the environment variable
 * {@code <NAME>_FILE} names a file whose content (trailing white space stripped) becomes the secret's property. A file
 * that cannot be read stops start-up naming the key and the path, never the content. The secret may as well come from
 * its environment variable; both at once stop start-up (one would silently win). Ordinal 275: above
 * application.properties (which has no secret) and below explicit environment variables and system properties.
 */
public class SecretFilesConfigSourceFactory implements ConfigSourceFactory {

    /** A secret read from a file: the keys that name the file, the variable that may hold the value, the property. */
    record SecretFile(String key, String fileVariable, String valueVariable, String property) {
    }

    static final List<SecretFile> SECRETS = List.of(
            new SecretFile("rollup.clickhouse.password-file", "CLICKHOUSE_PASSWORD_FILE", "CLICKHOUSE_PASSWORD",
                    "rollup.clickhouse.password"),
            new SecretFile("rollup.postgres.password-file", "PG_PASSWORD_FILE", "PG_PASSWORD", "quarkus.datasource.password"),
            new SecretFile("rollup.s3.secret-access-key-file", "S3_SECRET_ACCESS_KEY_FILE", "S3_SECRET_ACCESS_KEY",
                    "quarkus.s3.aws.credentials.static-provider.secret-access-key"),
            new SecretFile("rollup.api.token-file", "ROLLUP_API_TOKEN_FILE", "ROLLUP_API_TOKEN", "rollup.api.token"),
            new SecretFile("rollup.api.password-file", "ROLLUP_API_PASSWORD_FILE", "ROLLUP_API_PASSWORD", "rollup.api.password"));

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Map<String, String> values = new HashMap<>();
        for (SecretFile secret : SECRETS) {
            String key = secret.key();
            String file = value(context, key);
            if (file == null) {
                key = secret.fileVariable();
                file = value(context, key);
            }
            if (file == null) {
                continue;
            }
            if (value(context, secret.valueVariable()) != null) {
                throw new IllegalArgumentException(key + " and " + secret.valueVariable() + " are both set: set one");
            }
            values.put(secret.property(), read(key, Path.of(file)));
        }
        return values.isEmpty() ? List.of() : List.of(new PropertiesConfigSource(values, "secret files", 275));
    }

    @Override
    public java.util.OptionalInt getPriority() {
        return java.util.OptionalInt.of(275);
    }

    static String read(String key, Path file) {
        try {
            String value = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (value.isEmpty()) {
                throw new IllegalArgumentException(key + "=" + file + ": the file is empty");
            }
            return value;
        } catch (IOException e) {
            throw new IllegalArgumentException(key + "=" + file + ": cannot read it (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isBlank() ? null : value.getValue();
    }
}
