package io.sensorrollup.sink.clickhouse;

import com.clickhouse.client.api.ServerException;
import io.sensorrollup.sink.Failures;
import java.util.Set;

/**
 * Which ClickHouse errors refuse an insert for the values it carries rather than because the server is unavailable:
 * by the server's error code ({@code src/Common/ErrorCodes.cpp}). Anything else (a connection refused, a timeout, too
 * many parts, memory limits, a server shutting down) may pass later and is retried as an outage.
 */
final class ClickHouseRefusals {

    private static final Set<Integer> CODES = Set.of(
            6, // CANNOT_PARSE_TEXT
            27, // CANNOT_PARSE_INPUT_ASSERTION_FAILED
            33, // CANNOT_READ_ALL_DATA (a value shorter than its type in RowBinary)
            38, // CANNOT_PARSE_DATE
            41, // CANNOT_PARSE_DATETIME
            53, // TYPE_MISMATCH
            69, // ARGUMENT_OUT_OF_BOUND
            70, // CANNOT_CONVERT_TYPE
            72, // CANNOT_PARSE_NUMBER
            117, // INCORRECT_DATA
            131, // TOO_LARGE_STRING_SIZE
            321, // VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE
            349, // CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN
            469); // VIOLATED_CONSTRAINT (a CHECK constraint of the table)

    private ClickHouseRefusals() {
    }

    static boolean refusesContent(Throwable failure) {
        ServerException e = Failures.find(failure, ServerException.class);
        return e != null && CODES.contains(e.getCode());
    }
}
