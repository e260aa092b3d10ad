/**
 * The input side: a batch of raw messages ({@link io.sensorrollup.source.RawBatch}) and the decoding of one
 * JSON payload into a reusable {@link io.sensorrollup.source.Reading} with the validity rules of
 * CONTRACT §1 ({@link io.sensorrollup.source.ReadingDecoder}). Imports nothing of the other packages.
 */
package io.sensorrollup.source;
