/**
 * Checkpoint storage: a partition's RocksDB checkpoint directory uploaded incrementally to an object
 * store, with a manifest as commit point, retention, savepoints and restore.
 *
 * <p>Per owned partition, on the partition's own thread:
 *
 * <pre>{@code
 * PartitionCheckpointer p = checkpoints.partition(3);           // when Pulsar makes this pod active for 3
 * Optional<RestoredCheckpoint> r = p.restore(stateDir);         // stateDir then holds exactly that checkpoint
 * // open RocksDB in stateDir (or an empty one when r is empty); skip messages up to r.manifest().position()
 * ...
 * CompletedCheckpoint c = p.checkpoint(localCheckpointDir, messageIdBytes, watermark);
 * // durable now: ack cumulatively up to messageIdBytes, delete localCheckpointDir
 * }</pre>
 *
 * {@link io.sensorrollup.checkpoint.CheckpointConflictException}: another pod wrote this partition's
 * checkpoint; drop the partition without acking, and let the handle go. An {@link java.io.IOException}
 * from a checkpoint means nothing may be acknowledged: keep the handle and try again at the next interval
 * (the next attempt takes the same id, or the next one if the put turned out to have committed). A
 * restore throws {@link io.sensorrollup.checkpoint.CheckpointStoreUnavailableException} while the store
 * does not answer (retry) and {@link io.sensorrollup.checkpoint.CheckpointDamagedException} when the
 * newest checkpoint is unusable (report, do not claim); it never falls back to an older checkpoint.
 *
 * <p>Store layout under the location ({@code s3://bucket/prefix} or {@code file:/dir}), per partition:
 * {@code partition-<p>/shared/<stem>-<sha256 prefix>.sst} for SST files shared by checkpoints,
 * {@code partition-<p>/chk-<n>/<name>-<sha256 prefix>} for the other files, and
 * {@code partition-<p>/chk-<n>/_metadata}, the JSON manifest written last with a conditional put.
 */
package io.sensorrollup.checkpoint;
