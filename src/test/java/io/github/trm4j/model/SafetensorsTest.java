package io.github.trm4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.InputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void backend() {
        Backend.init();
    }

    /** One tensor of every stored dtype, with distinct values, plus a scalar and an empty tensor. */
    private static Map<String, Tensor> everyDtype() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        Tensor base = torch.arange(new org.bytedeco.pytorch.Scalar(24)).reshape(2, 3, 4).sub(new org.bytedeco.pytorch.Scalar(7));
        for (StoredDtype d : StoredDtype.values()) m.put("t." + d.name().toLowerCase(), base.to(d.scalarType()));
        m.put("float.scaled", base.to(ScalarType.Float).mul(new org.bytedeco.pytorch.Scalar(0.37)));
        m.put("scalar", torch.ones(new long[0]).mul(new org.bytedeco.pytorch.Scalar(2.5)));
        m.put("empty", torch.zeros(0, 5));
        m.put("transposed", base.to(ScalarType.Float).transpose(0, 2)); // non-contiguous input
        return m;
    }

    private static void assertSame(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()));
        for (String k : expected.keySet()) {
            Tensor e = expected.get(k), a = actual.get(k);
            assertEquals(e.scalar_type().intern(), a.scalar_type().intern(), k);
            assertArrayEquals(e.shape(), a.shape(), k);
            assertTrue(torch.equal(e, a), k);
        }
    }

    @Test
    void roundTripsEveryDtypeWithMetadata() {
        Path f = dir.resolve("m.safetensors");
        Map<String, String> meta = Map.of("config", "{\"hidden_size\": 8}", "step", "12");
        try (PointerScope s = new PointerScope()) {
            Map<String, Tensor> in = everyDtype();
            Safetensors.write(f, in, meta, false);
            try (Safetensors.Contents out = Safetensors.read(f)) {
                assertSame(in, out.tensors());
                assertEquals(meta, out.metadata());
            }
        }
    }

    @Test
    void chunkedPathWithTinyChunksGivesTheSameBytes() throws IOException {
        Path whole = dir.resolve("whole.safetensors"), chunked = dir.resolve("chunked.safetensors");
        try (PointerScope s = new PointerScope()) {
            Map<String, Tensor> in = everyDtype();
            Safetensors.write(whole, in, Map.of(), false);
            Safetensors.write(chunked, in, Map.of(), false, 3);
            assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(chunked));
            try (Safetensors.Contents out = Safetensors.read(chunked, false, 5)) {
                assertSame(in, out.tensors());
            }
        }
    }

    @Test
    void headerIsPaddedAndReadableWithoutTorchData() throws IOException {
        Path f = dir.resolve("h.safetensors");
        try (PointerScope s = new PointerScope()) {
            Map<String, Tensor> in = new LinkedHashMap<>();
            in.put("a", torch.ones(3, 2).to(ScalarType.BFloat16));
            in.put("b", torch.ones(5).to(ScalarType.Bool));
            Safetensors.write(f, in, Map.of("k", "v"), false);
        }
        byte[] bytes = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8);
        assertEquals(8 + n + 3 * 2 * 2 + 5, bytes.length);
        Safetensors.Header h = Safetensors.readHeader(f);
        assertEquals(List.of("a", "b"), List.copyOf(h.entries().keySet()));
        assertEquals(StoredDtype.BF16, h.entries().get("a").dtype());
        assertArrayEquals(new long[] {3, 2}, h.entries().get("a").shape());
        assertEquals(12, h.entries().get("b").begin());
        assertEquals(Map.of("k", "v"), h.metadata());
    }

    @Test
    void readAsFloat32WidensFloatsAndKeepsIntegers() {
        Path f = dir.resolve("w.safetensors");
        try (PointerScope s = new PointerScope()) {
            Map<String, Tensor> in = new LinkedHashMap<>();
            in.put("h", torch.full(new long[] {2}, new org.bytedeco.pytorch.Scalar(1.5)).to(ScalarType.BFloat16));
            in.put("i", torch.ones(2).to(ScalarType.Long));
            Safetensors.write(f, in, Map.of(), false);
            try (Safetensors.Contents out = Safetensors.readAsFloat32(f)) {
                assertEquals(ScalarType.Float, out.tensors().get("h").scalar_type().intern());
                assertEquals(1.5f, out.tensors().get("h").select(0, 1).item_float());
                assertEquals(ScalarType.Long, out.tensors().get("i").scalar_type().intern());
            }
        }
    }

    @Test
    void tensorsOutliveAnEnclosingPointerScope() {
        Path f = dir.resolve("life.safetensors");
        try (PointerScope s = new PointerScope()) {
            Safetensors.write(f, Map.of("x", torch.full(new long[] {4}, new org.bytedeco.pytorch.Scalar(3.0))), Map.of(), false);
        }
        Safetensors.Contents out;
        try (PointerScope s = new PointerScope()) {
            out = Safetensors.read(f);
        }
        Tensor x = out.tensors().get("x");
        assertFalse(x.isNull());
        assertEquals(12.0f, x.sum().item_float());
        out.close();
        assertTrue(x.isNull(), "close() frees the tensors");
        out.close(); // twice is harmless
    }

    @Test
    void refusesToOverwriteUnlessForcedAndLeavesNoTemporaries() throws IOException {
        Path f = dir.resolve("o.safetensors");
        try (PointerScope s = new PointerScope()) {
            Map<String, Tensor> one = Map.of("x", torch.ones(1));
            Safetensors.write(f, one, Map.of(), false);
            InputException e = assertThrows(InputException.class, () -> Safetensors.write(f, one, Map.of(), false));
            assertTrue(e.getMessage().contains("o.safetensors") && e.getMessage().contains("--force"), e.getMessage());
            Safetensors.write(f, Map.of("y", torch.ones(2)), Map.of(), true);
        }
        assertEquals(List.of("y"), List.copyOf(Safetensors.readHeader(f).entries().keySet()));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList());
        }
    }

    // ---- broken files: each message names the file and, where there is one, the tensor ----

    /** A file with the given header text, padded as the format wants, followed by {@code data}. */
    private Path crafted(String name, String header, int dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        Path f = dir.resolve(name);
        Files.write(f, b.array());
        return f;
    }

    private static void assertBad(Path f, String... parts) {
        InputException e = assertThrows(InputException.class, () -> Safetensors.read(f).close());
        assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
        for (String p : parts) assertTrue(e.getMessage().contains(p), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void truncatedFileNamesTheTensor() throws IOException {
        Path f = dir.resolve("t.safetensors");
        try (PointerScope s = new PointerScope()) {
            Safetensors.write(f, Map.of("big", torch.ones(100)), Map.of(), false);
        }
        byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length - 10));
        assertBad(f, "tensor 'big'", "truncated");
        Files.write(f, java.util.Arrays.copyOf(all, 5));
        assertBad(f, "too short");
    }

    @Test
    void headerLengthBeyondFile() throws IOException {
        Path f = dir.resolve("len.safetensors");
        Files.write(f, new byte[] {(byte) 0xff, 0x7f, 0, 0, 0, 0, 0, 0, '{', '}'});
        assertBad(f, "header length 32767", "10 bytes");
    }

    @Test
    void badJson() throws IOException {
        assertBad(crafted("json.safetensors", "{\"a\": {\"dtype\": ", 0), "not valid JSON");
        assertBad(crafted("arr.safetensors", "[1, 2]   ", 0), "not a JSON object");
        assertBad(crafted("dup.safetensors", "{\"a\":{},\"a\":{}}", 0), "not valid JSON", "Duplicate");
    }

    @Test
    void unknownDtype() throws IOException {
        assertBad(crafted("dt.safetensors", "{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2),
                "tensor 'w'", "unknown dtype 'F8_E4M3'");
    }

    @Test
    void shapeTimesDtypeMustMatchTheByteLength() throws IOException {
        assertBad(crafted("sz.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", 20),
                "tensor 'w'", "needs 24 bytes", "give 20");
        assertBad(crafted("neg.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4),
                "tensor 'w': shape", "non-negative");
    }

    @Test
    void offsetsOutsideOrOverlapping() throws IOException {
        assertBad(crafted("out.safetensors", "{\"w\":{\"dtype\":\"U8\",\"shape\":[8],\"data_offsets\":[4,12]}}", 8),
                "tensor 'w'", "outside the data section of 8 bytes");
        assertBad(crafted("ovl.safetensors", "{\"a\":{\"dtype\":\"U8\",\"shape\":[6],\"data_offsets\":[0,6]},"
                + "\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[4,8]}}", 8),
                "tensor 'b'", "overlaps tensor 'a'");
    }

    @Test
    void metadataMustBeStrings() throws IOException {
        assertBad(crafted("meta.safetensors", "{\"__metadata__\":{\"step\":5}}", 0), "__metadata__ field 'step'");
    }

    @Test
    void missingFile() {
        assertBad(dir.resolve("nope.safetensors"), "no such file");
    }
}
