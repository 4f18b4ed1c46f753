package io.github.trm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    static final Path FIXTURES = Path.of("src/test/resources/fixtures/npy");

    @Test
    void readsFilesWrittenByNumpy() {
        assertArrayEquals(new int[] {0, 1, 2, 253, 254, 255}, Npy.readInts(FIXTURES.resolve("u8_2x3.npy")));
        assertArrayEquals(new long[] {2, 3}, Npy.header(FIXTURES.resolve("u8_2x3.npy")).shape());
        assertArrayEquals(new int[] {0, 3, -7, Integer.MAX_VALUE, Integer.MIN_VALUE}, Npy.readInts(FIXTURES.resolve("i32_5.npy")));
        assertArrayEquals(new int[] {1, -2, 3, 1000000000}, Npy.readInts(FIXTURES.resolve("i64_2x2.npy")));
        assertArrayEquals(new float[] {0.5f, -1.25f, 3.0e-8f, 1e30f}, Npy.readFloats(FIXTURES.resolve("f32_2x2.npy")));
        assertArrayEquals(new int[] {1, -2, 300}, Npy.readInts(FIXTURES.resolve("be_i4_3.npy")));
        assertArrayEquals(new int[] {1, -1, 32767}, Npy.readInts(FIXTURES.resolve("v2_i16_3.npy")));
    }

    @Test
    void rejectsBrokenFilesNamingThem() {
        assertMessage("bad_magic.npy", "wrong magic");
        assertMessage("truncated.npy", "truncated");
        assertMessage("fortran_2x3.npy", "Fortran-order");
    }

    private static void assertMessage(String file, String fragment) {
        InputException e = assertThrows(InputException.class, () -> Npy.readInts(FIXTURES.resolve(file)));
        assertTrue(e.getMessage().contains(file) && e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void streamingWriterRoundTripsAndFixesTheShape(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("x.npy");
        try (NpyWriter w = NpyWriter.create(f, NpyType.UINT8, 3)) {
            w.appendBytes(new byte[] {1, 2, 3});
            w.appendInts(4, 5, 255);
        }
        Npy.Header h = Npy.header(f);
        assertEquals(NpyType.UINT8, h.type());
        assertArrayEquals(new long[] {2, 3}, h.shape());
        assertEquals(0, h.dataOffset() % 64, "data is 64-byte aligned like numpy's own files");
        assertArrayEquals(new int[] {4, 5, 255}, Npy.readInts(h, 1, 1));

        Path g = dir.resolve("y.npy");
        Npy.writeInts(g, NpyType.INT64, new long[] {4}, new int[] {-1, 0, 7, Integer.MAX_VALUE});
        assertArrayEquals(new int[] {-1, 0, 7, Integer.MAX_VALUE}, Npy.readInts(g));
        assertTrue(Files.size(g) == 128 + 32);
    }

    @Test
    void writerRefusesValuesThatDoNotFit(@TempDir Path dir) {
        try (NpyWriter w = NpyWriter.create(dir.resolve("z.npy"), NpyType.UINT8)) {
            assertThrows(IllegalArgumentException.class, () -> w.appendInts(256));
        }
    }
}
