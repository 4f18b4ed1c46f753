package io.github.trm4j.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trm4j.AtomicOutput;
import io.github.trm4j.InputException;
import io.github.trm4j.Printable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header
 * {@code {name: {dtype, shape, data_offsets}, "__metadata__": {string: string}}} padded with spaces
 * to a multiple of 8, then the raw little-endian tensor bytes. Tensors are streamed in chunks, so
 * files and tensors larger than 2 GB work.
 *
 * <p>A hostile file is refused before tensor memory is allocated: the header is at most
 * {@value #MAX_HEADER} bytes and must fit the file; every tensor's shape (at most
 * {@value #MAX_RANK} dimensions, products checked for overflow) must need exactly the bytes its
 * offsets give, inside the data section, without overlapping another tensor. Tensors together
 * therefore never claim more bytes than the file holds.
 */
public final class Safetensors {
    /** Headers larger than this are refused as corrupt (the reference library's limit). */
    static final long MAX_HEADER = 100L << 20;
    /** Most dimensions a tensor may have (libtorch allows 64; TRM tensors have at most 2). */
    static final int MAX_RANK = 16;
    private static final ObjectMapper JSON =
            JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private Safetensors() {}

    /** Where one tensor lives in the file; offsets are relative to the start of the data section. */
    public record Entry(StoredDtype dtype, long[] shape, long begin, long end) {}

    /** A parsed and validated header; {@code dataStart} is the file offset of the data section. */
    public record Header(Path file, Map<String, Entry> entries, Map<String, String> metadata, long dataStart) {}

    /**
     * Tensors in file order and the string metadata. The tensors belong to the caller: they are
     * attached to no {@link PointerScope}, so an enclosing scope does not free them. Close this
     * record (or each tensor) to free their memory at once; otherwise the GC frees them once
     * unreachable.
     */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) implements AutoCloseable {
        @Override
        public void close() {
            Checkpoint.release(tensors);
        }
    }

    /** Reads the header only: names, dtypes, shapes and metadata, without touching tensor data. */
    public static Header readHeader(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(file, ch);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Reads every tensor in its stored dtype. Needs {@link Backend#init()}. */
    public static Contents read(Path file) {
        return read(file, false, TensorBytes.DEFAULT_CHUNK);
    }

    /** Reads every tensor, widening BF16, F16 and F64 tensors to fp32. Needs {@link Backend#init()}. */
    public static Contents readAsFloat32(Path file) {
        return read(file, true, TensorBytes.DEFAULT_CHUNK);
    }

    static Contents read(Path file, boolean toFloat32, int chunk) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = readHeader(file, ch);
            Map<String, Tensor> out = new LinkedHashMap<>();
            try (PointerScope scope = new PointerScope()) {
                for (Map.Entry<String, Entry> e : h.entries().entrySet()) {
                    Entry en = e.getValue();
                    Tensor t = torch.empty(en.shape(), new TensorOptions(en.dtype().scalarType()), new MemoryFormatOptional());
                    try {
                        TensorBytes.read(ch, h.dataStart() + en.begin(), t, chunk);
                    } catch (IOException ex) {
                        throw new InputException(file + ": tensor " + Printable.quote(e.getKey()) + ": " + ex.getMessage(), ex);
                    }
                    if (toFloat32 && en.dtype().isFloat() && en.dtype() != StoredDtype.F32)
                        t = t.to(torch.ScalarType.Float);
                    out.put(e.getKey(), t);
                }
                Checkpoint.handOut(out.values());
            }
            return new Contents(Collections.unmodifiableMap(out), h.metadata());
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Writes {@code tensors} (in map order) and {@code metadata} to {@code file} atomically: a
     * temporary sibling is written, fsynced and renamed. An existing file is refused unless
     * {@code force}. Tensors may be non-contiguous; they must be CPU tensors of a {@link StoredDtype}.
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata, boolean force) {
        write(file, tensors, metadata, force, TensorBytes.DEFAULT_CHUNK);
    }

    static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata, boolean force, int chunk) {
        Path tmp = AtomicOutput.beginFile(file, force);
        boolean done = false;
        try (PointerScope scope = new PointerScope();
                FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            List<Tensor> data = new ArrayList<>();
            byte[] header = header(tensors, metadata, data);
            ByteBuffer head = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(header.length).put(header).flip();
            while (head.hasRemaining()) ch.write(head);
            for (Tensor t : data) TensorBytes.write(t, ch, chunk);
            ch.close();
            AtomicOutput.commitFile(tmp, file);
            done = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        } finally {
            if (!done) AtomicOutput.abandon(tmp);
        }
    }

    /** The padded JSON header; fills {@code data} with the contiguous CPU tensors to write, in order. */
    private static byte[] header(Map<String, Tensor> tensors, Map<String, String> metadata, List<Tensor> data) {
        ObjectNode root = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = root.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().equals("__metadata__")) throw new IllegalArgumentException("tensor name __metadata__ is reserved");
            Tensor t = e.getValue();
            StoredDtype dtype = StoredDtype.of(t.scalar_type()).orElseThrow(() -> new IllegalArgumentException(
                    "tensor '" + e.getKey() + "': dtype " + t.scalar_type() + " cannot be stored"));
            Tensor c = (t.is_cpu() ? t : t.cpu()).contiguous();
            ObjectNode node = root.putObject(e.getKey());
            node.put("dtype", dtype.safetensorsName());
            ArrayNode shape = node.putArray("shape");
            for (long s : c.shape()) shape.add(s);
            node.putArray("data_offsets").add(offset).add(offset + c.nbytes());
            offset += c.nbytes();
            data.add(c);
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static Header readHeader(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 8) throw bad(file, "file has " + size + " bytes, too short for a safetensors header");
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, len, 0);
        long n = len.getLong(0);
        if (n <= 0 || n > size - 8)
            throw bad(file, "header length " + Long.toUnsignedString(n) + " does not fit a file of " + size
                    + " bytes (truncated, or not a safetensors file)");
        if (n > MAX_HEADER) throw bad(file, "header length " + n + " is larger than " + MAX_HEADER + " bytes");
        ByteBuffer json = ByteBuffer.allocate((int) n);
        readFully(ch, json, 8);
        JsonNode root;
        try {
            root = JSON.readTree(json.array());
        } catch (JsonProcessingException e) {
            throw bad(file, "header is not valid JSON: " + Printable.quote(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) throw bad(file, "header is not a JSON object");
        long dataStart = 8 + n;
        long dataLength = size - dataStart;
        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals("__metadata__")) metadata = metadata(file, f.getValue());
            else entries.put(f.getKey(), entry(file, f.getKey(), f.getValue(), dataLength));
        }
        checkOverlaps(file, entries);
        return new Header(file, Collections.unmodifiableMap(entries), Collections.unmodifiableMap(metadata), dataStart);
    }

    private static Map<String, String> metadata(Path file, JsonNode node) {
        if (!node.isObject()) throw bad(file, "__metadata__ is not a JSON object");
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getValue().isTextual()) throw bad(file, "__metadata__ field " + Printable.quote(f.getKey()) + " is not a string");
            out.put(f.getKey(), f.getValue().textValue());
        }
        return out;
    }

    private static Entry entry(Path file, String name, JsonNode node, long dataLength) {
        String where = "tensor " + Printable.quote(name) + ": ";
        if (!node.isObject()) throw bad(file, where + "header entry is not a JSON object");
        JsonNode dt = node.get("dtype");
        if (dt == null || !dt.isTextual()) throw bad(file, where + "dtype is missing");
        StoredDtype dtype = StoredDtype.ofSafetensorsName(dt.textValue())
                .orElseThrow(() -> bad(file, where + "unknown dtype " + Printable.quote(dt.textValue())));
        long[] shape = longs(file, where + "shape", node.get("shape"), -1);
        if (shape.length > MAX_RANK) throw bad(file, where + "shape has " + shape.length + " dimensions, more than " + MAX_RANK);
        long[] offsets = longs(file, where + "data_offsets", node.get("data_offsets"), 2);
        long begin = offsets[0], end = offsets[1];
        if (end < begin || end > dataLength)
            throw bad(file, where + "data_offsets [" + begin + ", " + end + "] lie outside the data section of "
                    + dataLength + " bytes (file truncated?)");
        long need;
        try {
            need = dtype.byteLength(shape);
        } catch (ArithmeticException e) {
            throw bad(file, where + "shape " + Arrays.toString(shape) + " is too large");
        }
        if (need != end - begin)
            throw bad(file, where + "shape " + Arrays.toString(shape) + " of " + dtype.safetensorsName() + " needs "
                    + need + " bytes but data_offsets give " + (end - begin));
        return new Entry(dtype, shape, begin, end);
    }

    private static long[] longs(Path file, String what, JsonNode node, int count) {
        if (node == null || !node.isArray() || (count >= 0 && node.size() != count))
            throw bad(file, what + " is missing or not an array" + (count >= 0 ? " of " + count + " integers" : ""));
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0)
                throw bad(file, what + " holds " + Printable.quote(v.toString()) + ", not a non-negative integer");
            out[i] = v.longValue();
        }
        return out;
    }

    private static void checkOverlaps(Path file, Map<String, Entry> entries) {
        List<Map.Entry<String, Entry>> byStart = new ArrayList<>(entries.entrySet());
        byStart.sort(Comparator.comparingLong(e -> e.getValue().begin()));
        for (int i = 1; i < byStart.size(); i++) {
            Map.Entry<String, Entry> prev = byStart.get(i - 1), cur = byStart.get(i);
            if (cur.getValue().begin() < prev.getValue().end())
                throw bad(file, "tensor " + Printable.quote(cur.getKey()) + ": data overlaps tensor " + Printable.quote(prev.getKey()));
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) throw new IOException("unexpected end of file");
        }
    }

    private static InputException bad(Path file, String what) {
        return new InputException(file + ": " + what);
    }
}
