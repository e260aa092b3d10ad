/**
 * Sinks: each owned partition's outbox drained in batches into the stores people query
 * ({@link io.sensorrollup.sink.RowSink}: ClickHouse, PostgreSQL), rows deleted from the outbox only
 * once every configured store confirmed them. May import every earlier stage.
 */
package io.sensorrollup.sink;
