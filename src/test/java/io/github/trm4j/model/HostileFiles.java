package io.github.trm4j.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds checkpoint files byte by byte for the broken and hostile file tests; nothing is committed. */
final class HostileFiles {
    private HostileFiles() {}

    /** Builds protocol-2 pickle bytes. */
    static final class Pickle {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle op(int... bytes) {
            for (int b : bytes) out.write(b);
            return this;
        }

        /** {@code op} repeated {@code n} times. */
        Pickle repeat(int n, int... ops) {
            for (int i = 0; i < n; i++) op(ops);
            return this;
        }

        Pickle global(String module, String name) {
            return op('c').raw(module + "\n" + name + "\n");
        }

        /** BINUNICODE: a 4-byte little-endian length, then UTF-8. */
        Pickle str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X', b.length & 0xff, (b.length >> 8) & 0xff, (b.length >> 16) & 0xff, b.length >>> 24);
            out.writeBytes(b);
            return this;
        }

        /** LONG1 with 8 bytes: any long. */
        Pickle int64(long v) {
            op(0x8a, 8);
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
            return this;
        }

        Pickle raw(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        /** key → _rebuild_tensor_v2(FloatStorage '0' of numel elements, offset, (size,), (stride,)). */
        Pickle tensor(String key, int numel, int offset, int size, int stride) {
            return tensor(key, "FloatStorage", "0", numel, offset, new long[] {size}, new long[] {stride});
        }

        /** key → _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict()). */
        Pickle tensor(String key, String storageType, String storageKey, long numel, long offset, long[] size, long[] stride) {
            str(key).global("torch._utils", "_rebuild_tensor_v2").op('(');
            op('(').str("storage").global("torch", storageType).str(storageKey).str("cpu").int64(numel).op('t', 'Q');
            int64(offset).op('(');
            for (long s : size) int64(s);
            op('t', '(');
            for (long s : stride) int64(s);
            op('t', 0x89);
            return global("collections", "OrderedDict").op(')', 'R', 't', 'R');
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** The start of a state dict: {@code OrderedDict()} and a MARK for SETITEMS. */
    static Pickle stateDict() {
        return new Pickle().op(0x80, 2).global("collections", "OrderedDict").op(')', 'R', '(');
    }

    /** A torch-layout zip: {@code m/data.pkl}, {@code m/data/<key>} for each storage, {@code m/version}. */
    static Path zip(Path f, byte[] pickle, Map<String, byte[]> storages, boolean deflate) throws IOException {
        try (OutputStream os = Files.newOutputStream(f); ZipOutputStream z = new ZipOutputStream(os)) {
            z.setMethod(ZipOutputStream.DEFLATED);
            z.setLevel(deflate ? java.util.zip.Deflater.BEST_SPEED : java.util.zip.Deflater.NO_COMPRESSION);
            z.putNextEntry(new ZipEntry("m/data.pkl"));
            z.write(pickle);
            for (Map.Entry<String, byte[]> s : storages.entrySet()) {
                z.putNextEntry(new ZipEntry("m/data/" + s.getKey()));
                z.write(s.getValue());
            }
            z.putNextEntry(new ZipEntry("m/version"));
            z.write("3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return f;
    }

    /**
     * Rewrites the uncompressed size that the zip's central directory declares for {@code entry}, as
     * a lying zip would ({@link java.util.zip.ZipFile} trusts the central directory).
     */
    static void declareSize(Path zip, String entry, long size) throws IOException {
        byte[] b = Files.readAllBytes(zip);
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        byte[] name = entry.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + 46 < b.length; i++) {
            if (buf.getInt(i) != 0x02014b50 || (buf.getShort(i + 28) & 0xffff) != name.length) continue;
            if (!new String(b, i + 46, name.length, StandardCharsets.UTF_8).equals(entry)) continue;
            buf.putInt(i + 24, (int) size);
            Files.write(zip, b);
            return;
        }
        throw new IllegalArgumentException("no central directory entry " + entry);
    }

    /** A safetensors file: the 8-byte length, {@code header} padded with spaces, then {@code dataBytes} zeros. */
    static Path safetensors(Path f, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        int padded = (h.length + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.allocate(8 + padded + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(h);
        for (int i = h.length; i < padded; i++) b.put((byte) ' ');
        Files.write(f, b.array());
        return f;
    }
}
