package io.sensorrollup.source.pulsar;

import java.util.function.ToIntFunction;
import org.apache.pulsar.client.api.HashingScheme;
import org.apache.pulsar.client.impl.Hash;
import org.apache.pulsar.client.impl.JavaStringHash;
import org.apache.pulsar.client.impl.Murmur3Hash32;
import org.apache.pulsar.client.util.MathUtils;

/**
 * The partition a producer sends a keyed message to, by the client's own code: the key's hash under the producers'
 * {@link HashingScheme}, modulo the partition count (Pulsar's default router for a message with a key).
 */
public final class KeyPartitions implements ToIntFunction<String> {

    private final Hash hash;
    private final int partitions;

    public KeyPartitions(HashingScheme scheme, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1: " + partitions);
        }
        this.hash = switch (scheme) {
            case JavaStringHash -> JavaStringHash.getInstance();
            case Murmur3_32Hash -> Murmur3Hash32.getInstance();
        };
        this.partitions = partitions;
    }

    @Override
    public int applyAsInt(String key) {
        return MathUtils.signSafeMod(hash.makeHash(key), partitions);
    }
}
