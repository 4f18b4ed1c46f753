package io.github.trm4j.data;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * One Sudoku augmentation (spec 6.2), a validity-preserving relabelling of a 9×9 grid.
 * {@code apply} computes: out(r, c) = digitMap[ t(r', c') ] with r' = rowPerm[r], c' = colPerm[c],
 * where t is the input, transposed first when {@code transpose} is set.
 *
 * @param digitMap  (10,) a permutation of 0..9 with digitMap[0] = 0 (blanks stay blank)
 * @param transpose whether the grid is transposed before the row/column permutation
 * @param rowPerm   (9,) new row r takes old row rowPerm[r]; bands map to bands (rows 3b..3b+2 of the
 *                  output come from one band of the input)
 * @param colPerm   (9,) the same for columns and stacks
 */
public record SudokuTransform(int[] digitMap, boolean transpose, int[] rowPerm, int[] colPerm) {

    public SudokuTransform {
        digitMap = digitMap.clone();
        rowPerm = rowPerm.clone();
        colPerm = colPerm.clone();
        if (digitMap.length != 10 || digitMap[0] != 0 || !isPermutation(digitMap))
            throw new IllegalArgumentException("digitMap must permute 0..9 with 0 fixed, got " + Arrays.toString(digitMap));
        checkBandPermutation(rowPerm, "rowPerm");
        checkBandPermutation(colPerm, "colPerm");
    }

    public static SudokuTransform identity() {
        int[] ids = {0, 1, 2, 3, 4, 5, 6, 7, 8};
        return new SudokuTransform(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, false, ids, ids);
    }

    /**
     * A uniformly drawn transform, in the official draw order: digit permutation, transpose with
     * probability 1/2, band order then each band's row order, stack order then each stack's column order.
     */
    public static SudokuTransform random(RandomGenerator rng) {
        int[] digits = new int[10];
        int[] perm = permutation(9, rng);
        for (int d = 1; d <= 9; d++) digits[d] = perm[d - 1] + 1;
        boolean transpose = rng.nextDouble() < 0.5;
        return new SudokuTransform(digits, transpose, bandPermutation(rng), bandPermutation(rng));
    }

    public Grid apply(Grid g) {
        checkSudokuShape(g);
        return Grid.of(9, 9, applyCells(g.cells()));
    }

    /** {@link #apply(Grid)} on (81,) row-major values 0..9, without building grids (the dataset builder's hot path). */
    byte[] applyCells(byte[] cells) {
        byte[] out = new byte[SudokuPuzzle.CELLS];
        for (int r = 0; r < 9; r++) {
            for (int c = 0; c < 9; c++) {
                int source = transpose ? colPerm[c] * 9 + rowPerm[r] : rowPerm[r] * 9 + colPerm[c];
                out[r * 9 + c] = (byte) digitMap[cells[source]];
            }
        }
        return out;
    }

    /** Both grids of a puzzle under the same transform. */
    public SudokuPuzzle apply(SudokuPuzzle p) {
        return new SudokuPuzzle(apply(p.question()), p.hasAnswer() ? apply(p.answer()) : null);
    }

    /**
     * The transform that undoes this one. Without transpose, old(i, j) = inv[new(rowInv[i], colInv[j])];
     * with transpose the row and column roles swap: old(i, j) = inv[transposed new(colInv[i], rowInv[j])].
     */
    public SudokuTransform inverse() {
        int[] digitInv = invert(digitMap);
        int[] rowInv = invert(rowPerm);
        int[] colInv = invert(colPerm);
        return transpose ? new SudokuTransform(digitInv, true, colInv, rowInv) : new SudokuTransform(digitInv, false, rowInv, colInv);
    }

    @Override
    public int[] digitMap() {
        return digitMap.clone();
    }

    @Override
    public int[] rowPerm() {
        return rowPerm.clone();
    }

    @Override
    public int[] colPerm() {
        return colPerm.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SudokuTransform t && t.transpose == transpose && Arrays.equals(t.digitMap, digitMap)
                && Arrays.equals(t.rowPerm, rowPerm) && Arrays.equals(t.colPerm, colPerm);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new int[] {Arrays.hashCode(digitMap), Boolean.hashCode(transpose), Arrays.hashCode(rowPerm), Arrays.hashCode(colPerm)});
    }

    @Override
    public String toString() {
        return "SudokuTransform[digitMap=" + Arrays.toString(digitMap) + ", transpose=" + transpose + ", rowPerm=" + Arrays.toString(rowPerm)
                + ", colPerm=" + Arrays.toString(colPerm) + "]";
    }

    /** (9,) for each band b in a random band order, 3·b plus a random permutation of {0, 1, 2}. */
    private static int[] bandPermutation(RandomGenerator rng) {
        int[] bands = permutation(3, rng);
        int[] out = new int[9];
        for (int i = 0; i < 3; i++) {
            int[] inner = permutation(3, rng);
            for (int k = 0; k < 3; k++) out[3 * i + k] = 3 * bands[i] + inner[k];
        }
        return out;
    }

    /** A uniform permutation of 0..n-1 (Fisher-Yates). */
    private static int[] permutation(int n, RandomGenerator rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static int[] invert(int[] p) {
        int[] inv = new int[p.length];
        for (int i = 0; i < p.length; i++) inv[p[i]] = i;
        return inv;
    }

    private static boolean isPermutation(int[] p) {
        boolean[] seen = new boolean[p.length];
        for (int v : p) {
            if (v < 0 || v >= p.length || seen[v]) return false;
            seen[v] = true;
        }
        return true;
    }

    private static void checkBandPermutation(int[] p, String name) {
        boolean ok = p.length == 9 && isPermutation(p);
        for (int b = 0; ok && b < 3; b++) ok = p[3 * b] / 3 == p[3 * b + 1] / 3 && p[3 * b] / 3 == p[3 * b + 2] / 3;
        if (!ok) throw new IllegalArgumentException(name + " must permute 0..8 keeping bands together, got " + Arrays.toString(p));
    }

    private static void checkSudokuShape(Grid g) {
        if (g.height() != 9 || g.width() != 9) throw new IllegalArgumentException("a Sudoku transform needs a 9x9 grid, got " + g.height() + "x" + g.width());
        for (int r = 0; r < 9; r++) for (int c = 0; c < 9; c++) if (g.get(r, c) > 9) throw new IllegalArgumentException("cell (" + r + "," + c + ") = " + g.get(r, c) + " is out of 0..9");
    }
}
