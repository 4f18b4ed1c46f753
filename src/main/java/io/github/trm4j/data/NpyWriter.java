package io.github.trm4j.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends rows to an {@code .npy} file whose first dimension is not known in advance. The header
 * is written with room to spare and rewritten with the final row count on {@link #close()}, so
 * memory stays bounded however many rows are written.
 */
public final class NpyWriter implements AutoCloseable {
    /** Header block size: magic + version + length + dict, padded; numpy aligns to 64. */
    private static final int HEADER_BYTES = 128;

    private final Path file;
    private final NpyType type;
    private final long[] rowShape;
    private final long rowLength;
    private final FileChannel ch;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    private long elements;
    private boolean closed;

    private NpyWriter(Path file, NpyType type, long[] rowShape) throws IOException {
        this.file = file;
        this.type = type;
        this.rowShape = rowShape.clone();
        long n = 1;
        for (long d : rowShape) n *= d;
        this.rowLength = n;
        FileChannel opened = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        try {
            opened.write(ByteBuffer.wrap(header(0)));
        } catch (IOException | RuntimeException e) {
            opened.close(); // a full disk must not leave the file open
            throw e;
        }
        this.ch = opened;
    }

    /** Closes {@code w} after a failure elsewhere, keeping that failure as the one reported. */
    static void closeQuietly(NpyWriter w) {
        try {
            w.close();
        } catch (RuntimeException ignored) {
            // the first failure is the one the user needs to see
        }
    }

    /** Opens {@code file} for rows of shape {@code rowShape} (empty for a 1-d array). */
    public static NpyWriter create(Path file, NpyType type, long... rowShape) {
        try {
            return new NpyWriter(file, type, rowShape);
        } catch (IOException e) {
            throw Npy.io(file, e);
        }
    }

    /** Appends values; for UINT8/INT8/BOOL/INT16 they must fit the type. */
    public void appendInts(int... values) {
        for (int v : values) {
            room();
            switch (type) {
                case BOOL, INT8, UINT8 -> buf.put((byte) checkRange(v, type == NpyType.UINT8 ? 0 : -128, type == NpyType.UINT8 ? 255 : 127));
                case INT16 -> buf.putShort((short) checkRange(v, Short.MIN_VALUE, Short.MAX_VALUE));
                case INT32 -> buf.putInt(v);
                case INT64 -> buf.putLong(v);
                case FLOAT32 -> buf.putFloat(v);
                case FLOAT64 -> buf.putDouble(v);
            }
        }
        elements += values.length;
    }

    /** Appends unsigned byte values (0..255). */
    public void appendBytes(byte[] values) {
        if (type == NpyType.UINT8) {
            for (int off = 0; off < values.length; ) {
                if (!buf.hasRemaining()) flush();
                int n = Math.min(buf.remaining(), values.length - off);
                buf.put(values, off, n);
                off += n;
            }
            elements += values.length;
            return;
        }
        int[] ints = new int[values.length];
        for (int i = 0; i < ints.length; i++) ints[i] = values[i] & 0xFF;
        appendInts(ints);
    }

    public void appendFloats(float... values) {
        if (type != NpyType.FLOAT32 && type != NpyType.FLOAT64) throw new IllegalStateException(file + " holds " + type);
        for (float v : values) {
            room();
            if (type == NpyType.FLOAT32) buf.putFloat(v);
            else buf.putDouble(v);
        }
        elements += values.length;
    }

    /** Rows written so far. */
    public long rows() {
        return rowLength == 0 ? 0 : elements / rowLength;
    }

    private int checkRange(int v, int lo, int hi) {
        if (v < lo || v > hi) throw new IllegalArgumentException("value " + v + " does not fit " + type + " in " + file);
        return v;
    }

    private void room() {
        if (buf.remaining() < 8) flush();
    }

    private void flush() {
        buf.flip();
        try {
            while (buf.hasRemaining()) ch.write(buf);
        } catch (IOException e) {
            throw Npy.io(file, e);
        }
        buf.clear();
    }

    private byte[] header(long rows) {
        StringBuilder shape = new StringBuilder("(").append(rows);
        if (rowShape.length == 0) shape.append(',');
        for (long d : rowShape) shape.append(", ").append(d);
        shape.append(')');
        String dict = "{'descr': '" + type.descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int dictBytes = HEADER_BYTES - 10;
        if (dict.length() + 1 > dictBytes) throw new IllegalStateException("npy header too long: " + dict);
        byte[] out = new byte[HEADER_BYTES];
        System.arraycopy(Npy.MAGIC, 0, out, 0, Npy.MAGIC.length);
        out[6] = 1;
        out[7] = 0;
        out[8] = (byte) (dictBytes & 0xFF);
        out[9] = (byte) (dictBytes >> 8);
        byte[] d = (dict + " ".repeat(dictBytes - dict.length() - 1) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(d, 0, out, 10, d.length);
        return out;
    }

    /** Flushes, writes the final shape into the header, and closes the file. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try (ch) {
            flush();
            if (rowLength != 0 && elements % rowLength != 0)
                throw new IllegalStateException(file + ": " + elements + " values is not a whole number of rows of " + rowLength);
            ch.write(ByteBuffer.wrap(header(rows())), 0);
        } catch (IOException e) {
            throw Npy.io(file, e);
        }
    }
}
