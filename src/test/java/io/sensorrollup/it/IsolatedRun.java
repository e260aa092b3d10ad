package io.sensorrollup.it;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** A topic, checkpoint prefix and state directories of one test's own, so runs never meet. */
record IsolatedRun(String id, int partitions, String idleTimeout) {

    /** With the production idle timeout (30 s). */
    static IsolatedRun create(String name, int partitions) {
        return new IsolatedRun(name + "-" + UUID.randomUUID().toString().substring(0, 8), partitions, "30s");
    }

    /**
     * The same run with a shorter idle timeout, for a test that publishes without pausing while its pods run and then
     * waits for the last windows to close: they close {@code timeout} after the stream ends instead of 30 s.
     */
    IsolatedRun idleAfter(String timeout) {
        return new IsolatedRun(id, partitions, timeout);
    }

    String topic() {
        return "persistent://public/default/" + id;
    }

    String prefix() {
        return id;
    }

    /** The run's ClickHouse database and PostgreSQL schema. */
    String database() {
        return "it_" + id.replace('-', '_');
    }

    /** The service's configuration for this run; each instance gets its own state directory and consumer name. */
    Map<String, String> serviceConfig(String instance) {
        Map<String, String> config = new HashMap<>();
        config.put("rollup.source.topic", topic());
        config.put("rollup.source.partitions", Integer.toString(partitions));
        config.put("rollup.checkpoint.store", "s3://sensor-rollup/" + prefix());
        config.put("rollup.checkpoint.interval", "1s");
        // by default the production one: longer than a hand-over, a restart and the pauses between a test's
        // publishing phases, or an idle partition's watermark would run ahead and later readings turn late
        config.put("rollup.window.idle-timeout", idleTimeout);
        config.put("rollup.state.dir", Path.of("target", id, instance).toAbsolutePath().toString());
        config.put("mp.messaging.incoming.readings.consumerName", instance);
        config.put("rollup.clickhouse.database", database());
        config.put("rollup.postgres.schema", database());
        return config;
    }
}
