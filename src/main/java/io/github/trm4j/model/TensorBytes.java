package io.github.trm4j.model;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.Tensor;

/**
 * Moves a contiguous CPU tensor's bytes to and from files in bounded chunks, so that no Java array
 * or ByteBuffer ever spans a whole tensor (an ARC puzzle table is 1.8 GB and more). Bytes are
 * copied as they are: files and this machine are both little-endian.
 */
final class TensorBytes {
    /** Chunk size for file channel I/O; tests pass tiny values to exercise the chunked path. */
    static final int DEFAULT_CHUNK = 64 << 20;

    /**
     * Chunk size for streams (zip entries). The JDK reads a file into a byte[] through a native
     * temporary buffer as large as the request, so large chunks pay fresh page faults every time:
     * reading a 2.4 GB zip entry took 69 s with 64 MB chunks and 40 s with 1 MB on a loaded machine.
     */
    static final int STREAM_CHUNK = 1 << 20;

    private TensorBytes() {}

    /** Fills {@code t} with {@code t.nbytes()} bytes of {@code ch} starting at {@code position}. */
    static void read(FileChannel ch, long position, Tensor t, int chunk) throws IOException {
        long base = address(t);
        long total = t.nbytes();
        for (long done = 0; done < total; ) {
            ByteBuffer window = window(base + done, (int) Math.min(chunk, total - done));
            while (window.hasRemaining()) {
                if (ch.read(window, position + done + window.position()) < 0)
                    throw new EOFException("file ends " + (total - done - window.position()) + " bytes early");
            }
            done += window.capacity();
        }
    }

    /** Fills {@code t} with the next {@code t.nbytes()} bytes of {@code in}. */
    static void read(InputStream in, Tensor t, int chunk) throws IOException {
        long total = t.nbytes();
        if (total == 0) return;
        BytePointer dst = new BytePointer(new Window(address(t), total));
        byte[] buf = new byte[(int) Math.min(chunk, Math.max(total, 1))];
        for (long done = 0; done < total; ) {
            int n = (int) Math.min(buf.length, total - done);
            if (in.readNBytes(buf, 0, n) < n)
                throw new EOFException("data ends before " + total + " bytes");
            dst.position(done).put(buf, 0, n);
            done += n;
        }
    }

    /** Appends the {@code t.nbytes()} bytes of {@code t} to {@code ch}. */
    static void write(Tensor t, FileChannel ch, int chunk) throws IOException {
        long base = address(t);
        long total = t.nbytes();
        for (long done = 0; done < total; ) {
            ByteBuffer window = window(base + done, (int) Math.min(chunk, total - done));
            while (window.hasRemaining()) ch.write(window);
            done += window.capacity();
        }
    }

    private static long address(Tensor t) {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN)
            throw new UnsupportedOperationException("trm4j checkpoints need a little-endian machine");
        if (!t.is_cpu() || !t.is_contiguous())
            throw new IllegalArgumentException("tensor must be contiguous and on the CPU");
        return t.nbytes() == 0 ? 0 : t.data_ptr().address();
    }

    private static ByteBuffer window(long address, int length) {
        return new Window(address, length).asByteBuffer();
    }

    /** A borrowed view of native memory; it owns nothing and frees nothing. */
    private static final class Window extends Pointer {
        Window(long address, long length) {
            this.address = address;
            this.limit = length;
            this.capacity = length;
        }

        @Override
        public int sizeof() {
            return 1; // JavaCPP would otherwise guess an element size for this unknown class
        }
    }
}
