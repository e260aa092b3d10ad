package io.sensorrollup.ops;

import io.sensorrollup.checkpoint.runtime.CheckpointStorage;
import io.sensorrollup.sink.clickhouse.ClickHouseDatabase;
import io.sensorrollup.sink.postgres.PostgresDatabase;
import io.sensorrollup.sink.runtime.SinkConfig;
import io.sensorrollup.sink.runtime.SinkPreparations;
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
    private final List<Dependency> sinks = new ArrayList<>();

    Dependencies(Instance<PulsarTopicAdmin> pulsarAdmin, CheckpointStorage checkpoints, SinkConfig sinks,
            ClickHouseDatabase clickhouse, PostgresDatabase postgres,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String postgresUrl, CheckpointStorePreparation preparation,
            SinkPreparations sinksPrepared) {
        if (pulsarAdmin.isResolvable()) { // not in the embedded profile, whose source is in-process
            PulsarTopicAdmin pulsar = pulsarAdmin.get();
            all.add(new Dependency("pulsar", pulsar.endpoint(), pulsar::ensurePartitionedTopic, pulsar::ping));
        }
        checkpointStore = new Dependency("checkpoint-store", checkpoints.location().toString(), preparation::prepare,
                checkpoints::ping);
        all.add(checkpointStore);
        if (sinks.writesTo(SinkConfig.Kind.clickhouse)) {
            this.sinks.add(new Dependency("clickhouse", clickhouse.endpoint(), () -> {
                clickhouse.ensureExists();
                sinksPrepared.prepared("clickhouse");
            }, clickhouse::ping));
        }
        if (sinks.writesTo(SinkConfig.Kind.postgresql)) {
            this.sinks.add(new Dependency("postgresql", postgresUrl, () -> {
                postgres.ensureSchema();
                sinksPrepared.prepared("postgresql");
            }, () -> postgres.ping(PING_TIMEOUT)));
        }
        all.addAll(this.sinks);
    }

    public List<Dependency> all() {
        return all;
    }

    /** The stores closed windows go to, among {@link #all()}: start-up does not wait for them beyond its timeout. */
    boolean isSink(Dependency dependency) {
        return sinks.contains(dependency);
    }

    /** One of {@link #all()}: start-up does not wait for it beyond its timeout (CONTRACT §6). */
    Dependency checkpointStore() {
        return checkpointStore;
    }
}
