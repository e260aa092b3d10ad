package io.sensorrollup.state;

/**
 * A message that was not aggregated: invalid (a {@code ReadingDecoder} reason, or {@code future}: stamped more
 * than {@code max-future-skew} after its publish time) or {@code late}.
 *
 * @param index its index in the processed batch
 * @param position its source position
 * @param payload the batch's payload array (the message is {@code payload[offset, offset+length)})
 * @param reason the dead-letter {@code error} property
 */
public record Rejected(int index, byte[] position, byte[] payload, int offset, int length, String reason) {

    public static final String LATE = "late";
    public static final String FUTURE = "future";
}
