package io.sensorrollup.checkpoint;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.rocksdb.Checkpoint;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/** A real RocksDB in a temporary directory, driven the way the engine will: write, flush, checkpoint. */
public final class TestDb implements AutoCloseable {

    static {
        RocksDB.loadLibrary();
    }

    private final Options options;
    private final RocksDB db;
    private int checkpoints;

    private TestDb(Options options, RocksDB db) {
        this.options = options;
        this.db = db;
    }

    /** Opens (or creates) a database in {@code dir}; compactions only when a test asks for them. */
    static TestDb open(Path dir) throws RocksDBException {
        Options options = new Options().setCreateIfMissing(true).setDisableAutoCompactions(true);
        return new TestDb(options, RocksDB.open(options, dir.toString()));
    }

    /** Puts {@code count} keys {@code key-00000…} with values {@code <value>-<i>}. */
    TestDb put(int count, String value) throws RocksDBException {
        for (int i = 0; i < count; i++) {
            db.put(String.format("key-%05d", i).getBytes(StandardCharsets.UTF_8),
                    (value + "-" + i).getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    TestDb put(String key, String value) throws RocksDBException {
        db.put(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    TestDb flush() throws RocksDBException {
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush);
        }
        return this;
    }

    TestDb compact() throws RocksDBException {
        db.compactRange();
        return this;
    }

    /** A RocksDB checkpoint (hard links) in a new directory under {@code parent}. */
    Path checkpoint(Path parent) throws RocksDBException {
        Path dir = parent.resolve("local-chk-" + (++checkpoints) + "-" + System.nanoTime());
        try (Checkpoint checkpoint = Checkpoint.create(db)) {
            checkpoint.createCheckpoint(dir.toString());
        }
        return dir;
    }

    Map<String, String> contents() {
        return contents(db);
    }

    /** Everything in the database in {@code dir}, opened read-only so the directory stays as it is. */
    static Map<String, String> contentsOf(Path dir) throws RocksDBException {
        try (Options options = new Options(); RocksDB db = RocksDB.openReadOnly(options, dir.toString())) {
            return contents(db);
        }
    }

    /** Every key and value of the default column family, as UTF-8 text. */
    public static Map<String, String> contents(RocksDB db) {
        Map<String, String> all = new TreeMap<>();
        try (RocksIterator it = db.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                all.put(new String(it.key(), StandardCharsets.UTF_8), new String(it.value(), StandardCharsets.UTF_8));
            }
        }
        return all;
    }

    @Override
    public void close() {
        db.close();
        options.close();
    }
}
