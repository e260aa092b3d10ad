package io.sensorrollup.sink.postgres;

import io.sensorrollup.sink.Failures;
import io.vertx.sqlclient.DatabaseException;
import java.util.Set;

/**
 * Which PostgreSQL errors refuse a statement for the values it carries (a retry of the same rows fails the same way)
 * rather than because the server is unavailable. By SQLSTATE (PostgreSQL manual, appendix A).
 */
final class PostgresRefusals {

    /**
     * 22 data exception ({@code 22021} a NUL or an invalid UTF-8 byte, {@code 22003} a number out of range), 23 integrity
     * constraint violation (NOT NULL, CHECK); {@code 42804} datatype mismatch, {@code 54000} program limit exceeded (a key
     * longer than an index entry may be).
     */
    private static final Set<String> CODES = Set.of("42804", "54000");
    private static final Set<String> CLASSES = Set.of("22", "23");

    private PostgresRefusals() {
    }

    static boolean refusesContent(Throwable failure) {
        DatabaseException e = Failures.find(failure, DatabaseException.class);
        String state = e == null ? null : e.getSqlState();
        return state != null && state.length() == 5 && (CLASSES.contains(state.substring(0, 2)) || CODES.contains(state));
    }
}
