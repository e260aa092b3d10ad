/**
 * State and the engine loop of one partition: {@link io.sensorrollup.state.PartitionProcessor} composes
 * decode, windows and a RocksDB {@link io.sensorrollup.state.PartitionStore} (column families
 * {@code windows}, {@code outbox}, {@code meta}) behind a bounded write-back cache; every store of the process
 * shares one {@link io.sensorrollup.state.StateResources}. Configured by a plain
 * {@link io.sensorrollup.state.EngineConfig}. May import {@code source} and {@code window}.
 *
 * <p>Typical use by the adapters, all on the partition's serial executor:
 * <pre>{@code
 * var p = PartitionProcessor.restore(checkpointDir, stateDir, config, resources, clock);  // or open(...)
 * // skip source messages up to p.position(), then for each batch:
 * BatchResult r = p.process(batch);          // r.rejected() -> dead-letter topic
 * p.readOutbox(afterSeq, 500) -> sink -> p.deleteOutboxThrough(lastConfirmedSeq);
 * Snapshot s = p.snapshot(dir);              // upload s.files(), then ack the source up to s.position()
 * p.advanceIdle(now);                        // from a timer, when no batch came
 * }</pre>
 */
package io.sensorrollup.state;
