package io.github.trm4j.data;

import io.github.trm4j.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * numpy {@code .npy} files: header parsing, whole-array reads for small arrays, row-range reads for
 * large ones, and whole-array writes. Streaming writes go through {@link NpyWriter}.
 */
public final class Npy {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** What a header says: dtype, byte order, shape, and where the data starts. */
    public record Header(Path file, NpyType type, ByteOrder order, long[] shape, long dataOffset) {
        public long count() {
            long n = 1;
            for (long d : shape) n = Math.multiplyExact(n, d);
            return n;
        }

        /** Elements per row (product of all dimensions but the first); 1 for 0-d/1-d arrays. */
        public long rowLength() {
            long n = 1;
            for (int i = 1; i < shape.length; i++) n *= shape[i];
            return n;
        }

        public long rows() {
            return shape.length == 0 ? 1 : shape[0];
        }
    }

    /** Reads and validates the header of {@code file}, including that the file holds all the data. */
    public static Header header(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return header(file, ch);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    static Header header(Path file, FileChannel ch) throws IOException {
        ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, pre, 0);
        if (pre.limit() < 10) throw bad(file, "file too short for an .npy header");
        for (int i = 0; i < MAGIC.length; i++) if (pre.get(i) != MAGIC[i]) throw bad(file, "not an .npy file (wrong magic)");
        int major = pre.get(6);
        int headerLen;
        long start;
        if (major == 1) {
            headerLen = pre.getShort(8) & 0xFFFF;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (pre.limit() < 12) throw bad(file, "file too short for an .npy v" + major + " header");
            headerLen = pre.getInt(8);
            start = 12;
        } else {
            throw bad(file, "unsupported .npy version " + major);
        }
        if (headerLen < 0 || start + headerLen > ch.size()) throw bad(file, "header length " + headerLen + " runs past the end of the file");
        ByteBuffer hb = ByteBuffer.allocate(headerLen);
        readFully(ch, hb, start);
        String dict = new String(hb.array(), 0, hb.limit(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(dict), f = FORTRAN.matcher(dict), s = SHAPE.matcher(dict);
        if (!d.find() || !f.find() || !s.find()) throw bad(file, "header is not a numpy dict with descr, fortran_order and shape: " + dict.strip());
        NpyType type = NpyType.ofDescr(d.group(1));
        if (type == null) throw bad(file, "unsupported dtype '" + d.group(1) + "'");
        if (f.group(1).equals("True")) throw bad(file, "Fortran-order arrays are not supported (save with C order)");
        ByteOrder order = d.group(1).charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        Header h = new Header(file, type, order, parseShape(file, s.group(1)), start + headerLen);
        long need = h.dataOffset + h.count() * type.size;
        if (ch.size() < need) throw bad(file, "truncated: shape " + Arrays.toString(h.shape) + " needs " + need + " bytes, file has " + ch.size());
        return h;
    }

    private static long[] parseShape(Path file, String text) {
        List<Long> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) continue;
            try {
                long v = Long.parseLong(p.endsWith("L") ? p.substring(0, p.length() - 1) : p);
                if (v < 0) throw bad(file, "negative dimension in shape (" + text + ")");
                dims.add(v);
            } catch (NumberFormatException e) {
                throw bad(file, "bad shape (" + text + ")");
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    /** Reads a whole integer array as ints (any integer dtype; values must fit in an int). */
    public static int[] readInts(Path file) {
        Header h = header(file);
        if (h.count() > Integer.MAX_VALUE - 8) throw bad(file, "too large to read whole (" + h.count() + " elements)");
        return readInts(h, 0, h.rows());
    }

    /** Reads rows [start, start+count) of an integer array as row-major ints. */
    public static int[] readInts(Header h, long start, long count) {
        if (!h.type.isInteger()) throw bad(h.file, "expected an integer dtype, found " + h.type.descr);
        if (start < 0 || count < 0 || start + count > h.rows()) throw new IndexOutOfBoundsException("rows " + start + "+" + count + " of " + h.rows() + " in " + h.file);
        long n = count * h.rowLength();
        int[] out = new int[Math.toIntExact(n)];
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(Math.min(n * h.type.size, 1 << 20))).order(h.order);
        long pos = h.dataOffset + start * h.rowLength() * h.type.size;
        try (FileChannel ch = FileChannel.open(h.file, StandardOpenOption.READ)) {
            int i = 0;
            while (i < n) {
                buf.clear();
                buf.limit((int) Math.min(buf.capacity(), (n - i) * h.type.size));
                readFully(ch, buf, pos);
                pos += buf.limit();
                while (buf.hasRemaining()) out[i++] = readInt(h, buf);
            }
        } catch (IOException e) {
            throw new InputException(h.file + ": cannot read (" + e.getMessage() + ")", e);
        }
        return out;
    }

    private static int readInt(Header h, ByteBuffer b) {
        return switch (h.type) {
            case BOOL, INT8 -> b.get();
            case UINT8 -> b.get() & 0xFF;
            case INT16 -> b.getShort();
            case INT32 -> b.getInt();
            case INT64 -> {
                long v = b.getLong();
                if (v != (int) v) throw bad(h.file, "value " + v + " does not fit in 32 bits");
                yield (int) v;
            }
            default -> throw new IllegalStateException();
        };
    }

    /** Reads a whole float32 or float64 array as floats. */
    public static float[] readFloats(Path file) {
        Header h = header(file);
        if (h.type != NpyType.FLOAT32 && h.type != NpyType.FLOAT64) throw bad(file, "expected a float dtype, found " + h.type.descr);
        int n = Math.toIntExact(h.count());
        ByteBuffer buf = ByteBuffer.allocate(n * h.type.size).order(h.order);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            readFully(ch, buf, h.dataOffset);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = h.type == NpyType.FLOAT32 ? buf.getFloat() : (float) buf.getDouble();
        return out;
    }

    /** Writes a whole integer array; values must fit the dtype. */
    public static void writeInts(Path file, NpyType type, long[] shape, int[] data) {
        try (NpyWriter w = NpyWriter.create(file, type, Arrays.copyOfRange(shape, 1, shape.length))) {
            w.appendInts(data);
            if (w.rows() != (shape.length == 0 ? 1 : shape[0])) throw new IllegalArgumentException("data length does not match shape " + Arrays.toString(shape));
        }
    }

    /** Writes a whole float32 array. */
    public static void writeFloats(Path file, long[] shape, float[] data) {
        try (NpyWriter w = NpyWriter.create(file, NpyType.FLOAT32, Arrays.copyOfRange(shape, 1, shape.length))) {
            w.appendFloats(data);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) break;
            pos += r;
        }
        buf.flip();
    }

    static InputException bad(Path file, String what) {
        return new InputException(file + ": " + what);
    }

    static UncheckedIOException io(Path file, IOException e) {
        return new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
}
