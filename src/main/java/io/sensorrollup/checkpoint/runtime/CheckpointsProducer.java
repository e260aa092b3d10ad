package io.sensorrollup.checkpoint.runtime;

import io.sensorrollup.checkpoint.CheckpointLocation;
import io.sensorrollup.checkpoint.CheckpointStore;
import io.sensorrollup.checkpoint.Checkpoints;
import io.sensorrollup.checkpoint.FileCheckpointStore;
import io.sensorrollup.checkpoint.s3.S3CheckpointStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.services.s3.S3Client;

/** The {@link Checkpoints} of the configured location ({@code rollup.checkpoint.*}). */
@ApplicationScoped
public class CheckpointsProducer {

    @Produces
    @ApplicationScoped
    Checkpoints checkpoints(CheckpointConfig config, Instance<S3Client> s3,
            @ConfigProperty(name = "mp.messaging.incoming.readings.consumerName") String podName) {
        CheckpointLocation location = config.store();
        CheckpointStore store = location instanceof CheckpointLocation.S3 bucket
                ? new S3CheckpointStore(s3.get(), bucket)
                : new FileCheckpointStore(((CheckpointLocation.LocalDirectory) location).directory());
        return new Checkpoints(store, config.retained(), config.strayFileGrace(), Clock.systemUTC(), podName);
    }
}
