package io.github.trm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ArcCanvasTest {
    private static final Grid G = Grid.of(new int[][] {{1, 2, 3}, {4, 5, 6}});

    private static int[] ints(byte[] tokens) {
        int[] out = new int[tokens.length];
        for (int i = 0; i < out.length; i++) out[i] = tokens[i] & 0xFF;
        return out;
    }

    private static int[] row(int[] tokens, int r) {
        return java.util.Arrays.copyOfRange(tokens, r * 30, r * 30 + 30);
    }

    @Test
    void encodesTheSpecExample() {
        int[] t = ints(ArcCanvas.encode(G, 0, 0));
        assertEquals(900, t.length);
        int[] row0 = new int[30], row1 = new int[30], row2 = new int[30];
        System.arraycopy(new int[] {3, 4, 5, 1}, 0, row0, 0, 4);
        System.arraycopy(new int[] {6, 7, 8, 1}, 0, row1, 0, 4);
        System.arraycopy(new int[] {1, 1, 1, 0}, 0, row2, 0, 4);
        assertArrayEquals(row0, row(t, 0));
        assertArrayEquals(row1, row(t, 1));
        assertArrayEquals(row2, row(t, 2));
        for (int i = 3 * 30; i < 900; i++) assertEquals(0, t[i], "token " + i);
    }

    @Test
    void translatedGridKeepsItsBordersAndTheCornerStaysPad() {
        int[] t = ints(ArcCanvas.encode(G, 5, 7));
        assertEquals(3, t[5 * 30 + 7]);
        assertEquals(8, t[6 * 30 + 9]);
        assertEquals(1, t[5 * 30 + 10], "EOS column");
        assertEquals(1, t[6 * 30 + 10], "EOS column");
        assertEquals(1, t[7 * 30 + 7], "EOS row");
        assertEquals(1, t[7 * 30 + 9], "EOS row");
        assertEquals(0, t[7 * 30 + 10], "diagonal corner");
        assertEquals(0, t[5 * 30 + 6]);
        long nonPad = java.util.Arrays.stream(t).filter(v -> v != 0).count();
        assertEquals(6 + 2 + 3, nonPad);
    }

    @Test
    void bordersAreLeftOutAtTheCanvasEdge() {
        int[] t = ints(ArcCanvas.encode(G, 28, 27));
        assertEquals(6, java.util.Arrays.stream(t).filter(v -> v != 0).count(), "no EOS fits below or right");
        byte[] full = new byte[900];
        java.util.Arrays.fill(full, (byte) 9);
        int[] f = ints(ArcCanvas.encode(Grid.of(30, 30, full), 0, 0));
        assertTrue(java.util.Arrays.stream(f).allMatch(v -> v == 11));
        assertThrows(IllegalArgumentException.class, () -> ArcCanvas.encode(G, 29, 0));
        assertThrows(IllegalArgumentException.class, () -> ArcCanvas.encode(G, 0, 28));
    }

    @Test
    void cropReadsBackWhatWasEncoded() {
        Random rnd = new Random(3);
        for (int trial = 0; trial < 200; trial++) {
            int h = 1 + rnd.nextInt(30), w = 1 + rnd.nextInt(30);
            byte[] cells = new byte[h * w];
            for (int i = 0; i < cells.length; i++) cells[i] = (byte) rnd.nextInt(10);
            Grid g = Grid.of(h, w, cells);
            assertEquals(g, ArcCanvas.crop(ints(ArcCanvas.encode(g, 0, 0))).orElseThrow());
        }
        assertTrue(ArcCanvas.crop(new int[900]).isEmpty());
    }

    @Test
    void cropKeepsTheLargestTopLeftRectangleOfColours() {
        // a ragged prediction: row 0 has 4 colours, row 1 has 2, row 2 has 2, then EOS
        int[] t = new int[900];
        for (int c = 0; c < 4; c++) t[c] = 2 + c;
        t[30] = 2;
        t[31] = 3;
        t[60] = 4;
        t[61] = 5;
        t[90] = 1;
        // areas: 1x4 = 4, 2x2 = 4, 3x2 = 6 -> 3x2 wins
        assertEquals(Grid.of(new int[][] {{0, 1}, {0, 1}, {2, 3}}), ArcCanvas.crop(t).orElseThrow());
    }
}
