package io.github.trm4j.data;

import java.util.Arrays;
import java.util.Optional;

/**
 * The ARC sequence encoding (spec 6.4): a grid drawn on a 30×30 canvas, row-major, 900 tokens.
 * PAD 0, EOS 1, colour c is token c + 2 (vocabulary 12). An EOS row lies just below the grid and an
 * EOS column just right of it, where they fit; the diagonal corner stays PAD.
 */
public final class ArcCanvas {
    public static final int SIDE = ArcReader.MAX_SIDE;
    public static final int SEQ_LEN = SIDE * SIDE;
    public static final int PAD = 0;
    public static final int EOS = 1;
    public static final int COLOUR_OFFSET = 2;
    public static final int VOCAB_SIZE = 10 + COLOUR_OFFSET;

    private ArcCanvas() {}

    /** The 900 tokens of {@code g} placed with its top-left cell at (r0, c0). */
    public static byte[] encode(Grid g, int r0, int c0) {
        byte[] out = new byte[SEQ_LEN];
        encode(g, r0, c0, out);
        return out;
    }

    /** Writes the tokens into {@code out} (length 900), overwriting all of it. */
    static void encode(Grid g, int r0, int c0, byte[] out) {
        int h = g.height(), w = g.width();
        if (r0 < 0 || c0 < 0 || r0 + h > SIDE || c0 + w > SIDE)
            throw new IllegalArgumentException(h + "x" + w + " grid at (" + r0 + "," + c0 + ") does not fit the " + SIDE + "x" + SIDE + " canvas");
        Arrays.fill(out, (byte) PAD);
        byte[] cells = g.cells();
        for (int r = 0; r < h; r++) {
            int base = (r0 + r) * SIDE + c0;
            for (int c = 0; c < w; c++) out[base + c] = (byte) (cells[r * w + c] + COLOUR_OFFSET);
            if (c0 + w < SIDE) out[base + w] = EOS;
        }
        if (r0 + h < SIDE) Arrays.fill(out, (r0 + h) * SIDE + c0, (r0 + h) * SIDE + c0 + w, (byte) EOS);
    }

    /**
     * The grid read back from predicted tokens (spec 7.2): the largest top-left rectangle of colour
     * tokens, scanning rows top-down while the admissible width only shrinks. Empty when even the
     * first token is not a colour.
     */
    public static Optional<Grid> crop(int[] tokens) {
        if (tokens.length != SEQ_LEN) throw new IllegalArgumentException("expected " + SEQ_LEN + " tokens, got " + tokens.length);
        int width = SIDE, bestArea = 0, bestH = 0, bestW = 0;
        for (int r = 0; r < SIDE && width > 0; r++) {
            int c = 0;
            while (c < width && isColour(tokens[r * SIDE + c])) c++;
            width = c;
            if ((r + 1) * width > bestArea) {
                bestArea = (r + 1) * width;
                bestH = r + 1;
                bestW = width;
            }
        }
        if (bestArea == 0) return Optional.empty();
        byte[] cells = new byte[bestH * bestW];
        for (int r = 0; r < bestH; r++) for (int c = 0; c < bestW; c++) cells[r * bestW + c] = (byte) (tokens[r * SIDE + c] - COLOUR_OFFSET);
        return Optional.of(Grid.of(bestH, bestW, cells));
    }

    private static boolean isColour(int token) {
        return token >= COLOUR_OFFSET && token < VOCAB_SIZE;
    }
}
