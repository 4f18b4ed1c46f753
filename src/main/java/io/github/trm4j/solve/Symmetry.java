package io.github.trm4j.solve;

import io.github.trm4j.InputException;
import io.github.trm4j.data.Dihedral;
import io.github.trm4j.data.Grid;
import io.github.trm4j.data.SudokuTransform;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A symmetry of a puzzle on model tokens: {@link #apply} maps the question to an equivalent one, and
 * {@link #undo} maps an answer of that one back to the original's frame. Built on the training
 * augmentations with their inverses ({@link SudokuTransform}, {@link Dihedral}).
 */
interface Symmetry {
    int[] apply(int[] tokens);

    int[] undo(int[] tokens);

    /** One line for the user, e.g. "rot90" or "digits 1→4 2→9 …, transposed". */
    String describe();

    /**
     * The first {@code k} symmetries for puzzles of {@code kind} with {@code cells} cells: the identity,
     * then for Sudoku transforms drawn from {@code seed}, for mazes the dihedral maps in official order.
     */
    static List<Symmetry> of(PuzzleKind kind, int k, int cells, long seed) {
        List<Symmetry> out = new ArrayList<>(k);
        switch (kind) {
            case SUDOKU -> {
                SplittableRandom rng = new SplittableRandom(seed);
                out.add(new SudokuSymmetry(SudokuTransform.identity()));
                while (out.size() < k) out.add(new SudokuSymmetry(SudokuTransform.random(rng)));
            }
            case MAZE -> {
                if (k > 8) throw new InputException("augment: a maze has 8 symmetries, got " + k);
                int side = (int) Math.round(Math.sqrt(cells));
                for (int i = 0; i < k; i++) out.add(new MazeSymmetry(Dihedral.ofId(i), side));
            }
            default -> {
                if (k > 1) throw new InputException("augment: only for Sudoku and maze puzzles");
                out.add(new Identity());
            }
        }
        return out;
    }

    /** Tokens unchanged (any kind). */
    record Identity() implements Symmetry {
        public int[] apply(int[] tokens) {
            return tokens.clone();
        }

        public int[] undo(int[] tokens) {
            return tokens.clone();
        }

        public String describe() {
            return "identity";
        }
    }

    /** Sudoku tokens are digit + 1 (1 blank); a predicted PAD (0) reads as blank when mapped back. */
    record SudokuSymmetry(SudokuTransform transform) implements Symmetry {
        public int[] apply(int[] tokens) {
            return map(transform, tokens);
        }

        public int[] undo(int[] tokens) {
            return map(transform.inverse(), tokens);
        }

        private static int[] map(SudokuTransform t, int[] tokens) {
            byte[] digits = new byte[tokens.length];
            for (int i = 0; i < tokens.length; i++) digits[i] = (byte) Math.max(0, Math.min(9, tokens[i] - 1));
            Grid g = t.apply(Grid.of(9, 9, digits));
            int[] out = new int[tokens.length];
            for (int i = 0; i < out.length; i++) out[i] = g.get(i / 9, i % 9) + 1;
            return out;
        }

        public String describe() {
            if (transform.equals(SudokuTransform.identity())) return "identity";
            int[] d = transform.digitMap();
            StringBuilder b = new StringBuilder("digits ");
            for (int i = 1; i <= 9; i++) b.append(d[i]);
            b.append(transform.transpose() ? ", transposed" : "").append(", rows ");
            for (int r : transform.rowPerm()) b.append(r + 1);
            b.append(", columns ");
            for (int c : transform.colPerm()) b.append(c + 1);
            return b.toString();
        }
    }

    /** A dihedral map of a square maze; tokens are moved, never changed. */
    record MazeSymmetry(Dihedral dihedral, int side) implements Symmetry {
        public int[] apply(int[] tokens) {
            return map(dihedral, tokens);
        }

        public int[] undo(int[] tokens) {
            return map(dihedral.inverse(), tokens);
        }

        private int[] map(Dihedral d, int[] tokens) {
            byte[] cells = new byte[tokens.length];
            for (int i = 0; i < tokens.length; i++) cells[i] = (byte) tokens[i];
            Grid g = d.apply(Grid.of(side, side, cells));
            int[] out = new int[tokens.length];
            for (int i = 0; i < out.length; i++) out[i] = g.get(i / side, i % side);
            return out;
        }

        public String describe() {
            return dihedral.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }
}
