package io.sensorrollup.state;

import java.util.List;

/**
 * The outcome of one processed batch.
 *
 * @param messages messages in the batch
 * @param emitted rows put into the outbox (first emissions and late re-emissions)
 * @param rejected messages not aggregated, in batch order (invalid or late), for the dead-letter topic
 * @param lateWindowsDropped window updates dropped as too late, counting a reading once per window size
 *     (a reading is in {@code rejected} only when every size dropped it)
 */
public record BatchResult(int messages, int emitted, List<Rejected> rejected, int lateWindowsDropped) {
}
