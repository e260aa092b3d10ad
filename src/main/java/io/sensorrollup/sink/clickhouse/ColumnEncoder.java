package io.sensorrollup.sink.clickhouse;

import io.sensorrollup.sink.AggregateColumn;
import io.sensorrollup.sink.IncompatibleTableException;
import io.sensorrollup.sink.RowContentException;
import io.sensorrollup.window.WindowRow;
import java.io.IOException;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes one column of a row in RowBinary as the table's actual type wants it: a table created by an
 * older server (DateTime instead of DateTime64, say) still takes the rows, and a type the value cannot
 * be written as is refused at start-up, not at the first insert.
 */
final class ColumnEncoder {

    private static final Pattern NULLABLE = Pattern.compile("Nullable\\((.*)\\)");
    private static final Pattern DATETIME64 = Pattern.compile("DateTime64\\((\\d+)(?:\\s*,.*)?\\)");
    private static final Pattern INTEGER = Pattern.compile("(U?)Int(8|16|32|64)");

    private interface Writer {
        void write(RowBinaryOutput out, Object value) throws IOException;
    }

    /** ClickHouse {@code DateTime} holds seconds 0 to 2^32 - 1 (1970 to 2106) and wraps silently outside. */
    private static final long DATETIME_MAX_MILLIS = ((1L << 32) - 1) * 1000 + 999;

    private final AggregateColumn column;
    private final boolean nullable;
    private final Writer writer;
    private final boolean dateTime;

    private ColumnEncoder(AggregateColumn column, boolean nullable, Writer writer, boolean dateTime) {
        this.column = column;
        this.nullable = nullable;
        this.writer = writer;
        this.dateTime = dateTime;
    }

    /** The encoder of {@code column} into a column of ClickHouse type {@code type}; throws when it cannot be written. */
    static ColumnEncoder of(AggregateColumn column, String type) {
        String base = type;
        boolean nullable = false;
        Matcher n = NULLABLE.matcher(type);
        if (n.matches()) {
            base = n.group(1);
            nullable = true;
        }
        if (column.nullable() && !nullable && column.kind() != AggregateColumn.Kind.FLOAT64) {
            throw incompatible(column, type, "the column can be NULL");
        }
        boolean dateTime = base.equals("DateTime") || base.startsWith("DateTime(");
        return new ColumnEncoder(column, nullable, writer(column, base, type), dateTime);
    }

    private static Writer writer(AggregateColumn column, String base, String type) {
        switch (column.kind()) {
            case TEXT -> {
                if (base.equals("String")) {
                    return (out, v) -> out.string((String) v);
                }
            }
            case INT32, INT64 -> {
                Matcher m = INTEGER.matcher(base);
                int bits = m.matches() ? Integer.parseInt(m.group(2)) : 0;
                if (bits >= (column.kind() == AggregateColumn.Kind.INT32 ? 32 : 64)) {
                    return (out, v) -> out.fixed(((Number) v).longValue(), bits / 8);
                }
            }
            case FLOAT64 -> {
                if (base.equals("Float64")) {
                    // a non-Nullable Float64 column gets NaN for NULL
                    return (out, v) -> out.float64(v == null ? Double.NaN : (Double) v);
                }
            }
            case TIME_SECONDS, TIME_MILLIS -> {
                if (base.equals("DateTime") || base.startsWith("DateTime(")) {
                    return (out, v) -> out.fixed(Math.floorDiv((Long) v, 1000L), 4);
                }
                Matcher m = DATETIME64.matcher(base);
                if (m.matches()) {
                    int precision = Integer.parseInt(m.group(1));
                    return (out, v) -> out.fixed(scale((Long) v, precision), 8);
                }
            }
            default -> throw new IllegalStateException("unknown kind " + column.kind());
        }
        throw incompatible(column, type, "a " + column.kind() + " value cannot be written as " + type);
    }

    /** Epoch millis as ticks of 10^-precision seconds. */
    private static long scale(long millis, int precision) {
        long v = millis;
        for (int p = precision; p > 3; p--) {
            v *= 10;
        }
        for (int p = precision; p < 3; p++) {
            v = Math.floorDiv(v, 10);
        }
        return v;
    }

    String name() {
        return column.name();
    }

    /** Throws when the column cannot hold the row's value as it is (the server would store another one). */
    void check(WindowRow row) {
        if (dateTime && column.value().apply(row) instanceof Long millis && (millis < 0 || millis > DATETIME_MAX_MILLIS)) {
            throw new RowContentException(column.name() + " " + Instant.ofEpochMilli(millis)
                    + " is outside the range of ClickHouse DateTime (1970 to 2106)");
        }
    }

    void write(RowBinaryOutput out, WindowRow row) throws IOException {
        Object value = column.value().apply(row);
        if (nullable) {
            out.nullFlag(value == null);
            if (value == null) {
                return;
            }
        }
        writer.write(out, value);
    }

    private static IncompatibleTableException incompatible(AggregateColumn column, String type, String why) {
        return new IncompatibleTableException("column " + column.name() + " is " + type + ": " + why);
    }
}
