package io.sensorrollup.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.rocksdb.RocksIterator;

/**
 * Splits the states of a topic's partitions into the states of more partitions, as a rescale through a savepoint
 * needs (Flink does the same with its key groups): every window moves to the partition its device id hashes to
 * under the new count, by the producers' own key hash. Nothing else is keyed by device, so nothing else moves:
 * <ul>
 * <li>an old partition keeps its source position, watermark and outbox (Pulsar only adds partitions, so each old
 * one still exists; the outbox's rows are finished and the sinks key them by window, not by partition);</li>
 * <li>a new partition has no position (its subscription starts where it stands, at the partition's start), and the
 * lowest watermark and newest timestamp among the old partitions its windows came from, so none of them closes
 * before it would have, and no reading that was on time before becomes late.</li>
 * </ul>
 */
public final class StateRepartition {

    private static final int COMMIT_EVERY = 10_000;

    /**
     * One new partition's state, as a RocksDB checkpoint directory ready to be committed as its checkpoint.
     *
     * @param position  the source position it covers; null for a partition that did not exist before
     * @param windows   windows it holds
     */
    public record Part(int partition, Path dir, byte[] position, long watermark, long windows) {
    }

    private StateRepartition() {
    }

    /**
     * @param old            each old partition's state (a checkpoint directory, left untouched), by partition
     * @param partitions     the new count, at least the old one
     * @param partitionOfKey the new partition of a device id
     * @param work           an empty directory for the new states
     */
    public static List<Part> split(Map<Integer, Path> old, int partitions, ToIntFunction<String> partitionOfKey,
            StateResources resources, Path work) {
        if (partitions < old.size()) {
            throw new IllegalArgumentException("a topic's partitions can only be added to: " + old.size() + " to " + partitions);
        }
        List<PartitionStore> targets = new ArrayList<>();
        try {
            for (int q = 0; q < partitions; q++) {
                targets.add(PartitionStore.open(work.resolve("state-" + q), resources));
            }
            long[] watermark = new long[partitions];
            long[] maxTimestamp = new long[partitions];
            boolean[] seen = new boolean[partitions];
            long[] windows = new long[partitions];
            byte[][] positions = new byte[partitions][];
            long[] outboxNextSeq = new long[partitions];
            // compared only between windows of one device, which all come from one old partition: any count at least
            // its own orders a new reading after that partition's
            long arrivals = 0;
            for (Map.Entry<Integer, Path> source : old.entrySet()) {
                int p = source.getKey();
                if (p < 0 || p >= old.size()) {
                    throw new IllegalArgumentException("the old partitions must be 0 to " + (old.size() - 1) + ": " + old.keySet());
                }
                Path copy = work.resolve("old-" + p);
                Directories.replaceWithCopy(copy, source.getValue());
                try (PartitionStore from = PartitionStore.open(copy, resources)) {
                    MetaStore meta = new MetaStore(from);
                    meta.requireConsistentCut();
                    BitSet reached = moveWindows(from, targets, partitionOfKey, windows);
                    copyOutbox(from, targets.get(p));
                    positions[p] = meta.position();
                    outboxNextSeq[p] = meta.outboxNextSeq();
                    arrivals = Math.max(arrivals, meta.arrivals());
                    long w = meta.hasWatermark() ? meta.watermark() : Long.MIN_VALUE;
                    long max = meta.hasWatermark() ? meta.maxTimestamp() : Long.MIN_VALUE;
                    reached.set(p);
                    for (int q = reached.nextSetBit(0); q >= 0; q = reached.nextSetBit(q + 1)) {
                        if (q < old.size() && q != p) {
                            continue; // an old partition keeps its own clock
                        }
                        watermark[q] = seen[q] ? Math.min(watermark[q], w) : w;
                        maxTimestamp[q] = seen[q] ? Math.min(maxTimestamp[q], max) : max;
                        seen[q] = true;
                    }
                }
                Directories.deleteRecursively(copy);
            }
            List<Part> parts = new ArrayList<>();
            long lowest = java.util.stream.IntStream.range(0, old.size()).mapToLong(q -> watermark[q]).min().orElse(Long.MIN_VALUE);
            long lowestMax = java.util.stream.IntStream.range(0, old.size()).mapToLong(q -> maxTimestamp[q]).min().orElse(Long.MIN_VALUE);
            for (int q = 0; q < partitions; q++) {
                PartitionStore target = targets.get(q);
                MetaStore meta = new MetaStore(target);
                meta.markOpen();
                // a new partition no window reached still gets a clock: the lowest of all, as a new partition would
                long w = seen[q] ? watermark[q] : lowest;
                long max = seen[q] ? maxTimestamp[q] : lowestMax;
                if (w == Long.MIN_VALUE) {
                    meta.markInUse(false);
                } else {
                    meta.write(positions[q], w, max, outboxNextSeq[q], arrivals, false);
                }
                target.flushMemtables();
                Path dir = work.resolve("checkpoint-" + q);
                target.checkpoint(dir);
                parts.add(new Part(q, dir, positions[q], w, windows[q]));
            }
            return List.copyOf(parts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (PartitionStore t : targets) {
                t.close();
            }
        }
    }

    /** @return the new partitions that received a window */
    private static BitSet moveWindows(PartitionStore from, List<PartitionStore> targets, ToIntFunction<String> partitionOfKey,
            long[] windows) {
        BitSet reached = new BitSet(targets.size());
        long pending = 0;
        try (RocksIterator it = from.newIterator(from.windows())) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] key = it.key();
                int q = partitionOfKey.applyAsInt(WindowKeyCodec.decode(key).deviceId());
                if (q < 0 || q >= targets.size()) {
                    throw new IllegalStateException("partition " + q + " of a device is outside 0.." + (targets.size() - 1));
                }
                targets.get(q).put(targets.get(q).windows(), key, it.value());
                windows[q]++;
                reached.set(q);
                if (++pending == COMMIT_EVERY) {
                    commitAll(targets);
                    pending = 0;
                }
            }
        }
        commitAll(targets);
        return reached;
    }

    private static void copyOutbox(PartitionStore from, PartitionStore to) {
        long pending = 0;
        try (RocksIterator it = from.newIterator(from.outbox())) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                to.put(to.outbox(), it.key(), it.value());
                if (++pending == COMMIT_EVERY) {
                    to.commit();
                    pending = 0;
                }
            }
        }
        to.commit();
    }

    private static void commitAll(List<PartitionStore> stores) {
        for (PartitionStore s : stores) {
            s.commit();
        }
    }
}
