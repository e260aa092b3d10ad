package io.sensorrollup.ops;

import io.sensorrollup.checkpoint.runtime.CheckpointStorage;
import io.sensorrollup.sink.clickhouse.ClickHouseDatabase;
import io.sensorrollup.sink.postgres.PostgresDatabase;
import io.sensorrollup.sink.runtime.SinkConfig;
import io.sensorrollup.source.pulsar.PulsarTopicAdmin;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The servers this configuration uses: Pulsar, the checkpoint store, and each configured sink. */
@ApplicationScoped
public class Dependencies {

    private static final Duration PING_TIMEOUT = Duration.ofSeconds(2);

    private final List<Dependency> all = new ArrayList<>();
    private final Dependency checkpointStore;

    Dependencies(Instance<PulsarTopicAdmin> pulsarAdmin, CheckpointStorage checkpoints, SinkConfig sinks,
            ClickHouseDatabase clickhouse, PostgresDatabase postgres,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String postgresUrl, CheckpointStorePreparation preparation) {
        if (pulsarAdmin.isResolvable()) { // not in the embedded profile, whose source is in-process
            PulsarTopicAdmin pulsar = pulsarAdmin.get();
            all.add(new Dependency("pulsar", pulsar.endpoint(), pulsar::ensurePartitionedTopic, pulsar::ping));
        }
        checkpointStore = new Dependency("checkpoint-store", checkpoints.location().toString(), preparation::prepare,
                checkpoints::ping);
        all.add(checkpointStore);
        if (sinks.writesTo(SinkConfig.Kind.clickhouse)) {
            all.add(new Dependency("clickhouse", clickhouse.endpoint(), clickhouse::ensureExists, clickhouse::ping));
        }
        if (sinks.writesTo(SinkConfig.Kind.postgresql)) {
            all.add(new Dependency("postgresql", postgresUrl, postgres::ensureSchema, () -> postgres.ping(PING_TIMEOUT)));
        }
    }

    public List<Dependency> all() {
        return all;
    }

    /** One of {@link #all()}: start-up does not wait for it beyond its timeout (CONTRACT §6). */
    Dependency checkpointStore() {
        return checkpointStore;
    }
}
