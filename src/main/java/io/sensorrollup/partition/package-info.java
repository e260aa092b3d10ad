/**
 * The lifecycle of a partition this pod owns, from the moment Pulsar names the pod its owner to the moment the
 * partition moves away: one serial queue per partition ({@link io.sensorrollup.partition.PartitionTask}) that
 * restores the newest checkpoint and claims it, processes the batches that follow its restored position, takes
 * checkpoints and acknowledges the source only once they are durable, advances the watermark when the partition
 * is caught up and silent, and is dropped, fenced, when the partition is taken away
 * ({@link io.sensorrollup.partition.PartitionTasks}). Storage is the checkpoint stage's business; the sinks
 * drain the tasks' outboxes.
 */
package io.sensorrollup.partition;
