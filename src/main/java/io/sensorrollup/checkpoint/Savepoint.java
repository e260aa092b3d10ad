package io.sensorrollup.checkpoint;

import java.util.List;

/**
 * A named savepoint: the manifests carrying that name, at most one per partition (each partition takes
 * its part on its own, as it checkpoints on its own). Kept by retention until deleted.
 *
 * @param manifests sorted by partition
 */
public record Savepoint(String name, List<Manifest> manifests) {

    public Savepoint {
        manifests = List.copyOf(manifests);
    }
}
