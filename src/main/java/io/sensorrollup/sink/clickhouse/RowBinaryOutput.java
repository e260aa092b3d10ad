package io.sensorrollup.sink.clickhouse;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** ClickHouse's RowBinary primitives (little-endian, strings as LEB128 length + UTF-8) into a buffered stream. */
final class RowBinaryOutput {

    private final OutputStream out;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;

    RowBinaryOutput(OutputStream out) {
        this.out = out;
    }

    void nullFlag(boolean isNull) throws IOException {
        u8(isNull ? 1 : 0);
    }

    void u8(int v) throws IOException {
        ensure(1);
        buf[pos++] = (byte) v;
    }

    void fixed(long v, int bytes) throws IOException {
        ensure(bytes);
        for (int i = 0; i < bytes; i++) {
            buf[pos++] = (byte) v;
            v >>>= 8;
        }
    }

    void float64(double v) throws IOException {
        fixed(Double.doubleToRawLongBits(v), 8);
    }

    void string(String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        long n = bytes.length;
        do {
            int b = (int) (n & 0x7F);
            n >>>= 7;
            u8(n == 0 ? b : b | 0x80);
        } while (n != 0);
        if (bytes.length > buf.length) {
            flush();
            out.write(bytes);
            return;
        }
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
    }

    void flush() throws IOException {
        out.write(buf, 0, pos);
        pos = 0;
    }

    private void ensure(int n) throws IOException {
        if (pos + n > buf.length) {
            flush();
        }
    }
}
