package io.sensorrollup.sink.postgres;

import io.sensorrollup.window.WindowKey;
import io.sensorrollup.window.WindowRow;
import io.vertx.mutiny.sqlclient.Tuple;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A batch of rows as the parameters of {@link AggregatesTable#upsertFromArrays()}: one array per column. */
final class ColumnArrays {

    private ColumnArrays() {
    }

    /** The parameters for {@code rows}, one per key, keeping the larger version of a key that appears twice (the later of equal ones). */
    static Tuple of(List<WindowRow> rows) {
        List<WindowRow> unique = latestPerKey(rows);
        List<AggregatesTable.Column> columns = AggregatesTable.COLUMNS;
        Object[] params = new Object[columns.size()];
        for (int c = 0; c < params.length; c++) {
            AggregatesTable.Column column = columns.get(c);
            Object[] values = (Object[]) Array.newInstance(column.type().javaType, unique.size());
            for (int r = 0; r < values.length; r++) {
                values[r] = column.value().apply(unique.get(r));
            }
            params[c] = values;
        }
        return Tuple.wrap(params);
    }

    // one INSERT … ON CONFLICT cannot update the same row twice ("command cannot affect row a second time")
    static List<WindowRow> latestPerKey(List<WindowRow> rows) {
        Map<WindowKey, WindowRow> latest = new LinkedHashMap<>(rows.size() * 2);
        for (WindowRow row : rows) {
            latest.merge(row.key(), row, (kept, next) -> next.version() >= kept.version() ? next : kept);
        }
        return latest.size() == rows.size() ? rows : new ArrayList<>(latest.values());
    }
}
