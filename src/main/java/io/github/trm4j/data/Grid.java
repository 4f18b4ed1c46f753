package io.github.trm4j.data;

import java.util.Arrays;

/**
 * An immutable rectangular grid of small non-negative values (colours, digits, maze cells),
 * stored row-major.
 */
public final class Grid {
    private final int height;
    private final int width;
    private final byte[] cells;

    private Grid(int height, int width, byte[] cells) {
        this.height = height;
        this.width = width;
        this.cells = cells;
    }

    /** A grid from row-major values in 0..255; the array is copied. */
    public static Grid of(int height, int width, byte[] rowMajor) {
        if (height < 1 || width < 1) throw new IllegalArgumentException("grid must be at least 1x1, got " + height + "x" + width);
        if (rowMajor.length != height * width)
            throw new IllegalArgumentException("grid " + height + "x" + width + " needs " + height * width + " cells, got " + rowMajor.length);
        return new Grid(height, width, rowMajor.clone());
    }

    /** A grid from rows; every row must have the same length and values in 0..255. */
    public static Grid of(int[][] rows) {
        int h = rows.length;
        int w = h == 0 ? 0 : rows[0].length;
        byte[] cells = new byte[h * w];
        for (int r = 0; r < h; r++) {
            if (rows[r].length != w) throw new IllegalArgumentException("row " + r + " has " + rows[r].length + " cells, row 0 has " + w);
            for (int c = 0; c < w; c++) {
                int v = rows[r][c];
                if (v < 0 || v > 255) throw new IllegalArgumentException("cell (" + r + "," + c + ") = " + v + " is out of 0..255");
                cells[r * w + c] = (byte) v;
            }
        }
        return of(h, w, cells);
    }

    /** An all-zero grid. */
    public static Grid zeros(int height, int width) {
        return of(height, width, new byte[height * width]);
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int get(int row, int col) {
        return cells[row * width + col] & 0xFF;
    }

    /** A copy of the row-major cells as unsigned bytes. */
    public byte[] cells() {
        return cells.clone();
    }

    /** Row-major values as ints. */
    public int[] toIntArray() {
        int[] out = new int[cells.length];
        for (int i = 0; i < out.length; i++) out[i] = cells[i] & 0xFF;
        return out;
    }

    public int[][] toRows() {
        int[][] rows = new int[height][width];
        for (int r = 0; r < height; r++) for (int c = 0; c < width; c++) rows[r][c] = get(r, c);
        return rows;
    }

    /** This grid with every value v replaced by map[v]. */
    public Grid mapValues(int[] map) {
        byte[] out = new byte[cells.length];
        for (int i = 0; i < out.length; i++) out[i] = (byte) map[cells[i] & 0xFF];
        return new Grid(height, width, out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Grid g && g.height == height && g.width == width && Arrays.equals(g.cells, cells);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * height + width) + Arrays.hashCode(cells);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width; c++) sb.append(c == 0 ? "" : " ").append(get(r, c));
            sb.append('\n');
        }
        return sb.toString();
    }
}
