package io.github.trm4j.train;

import io.github.trm4j.data.DatasetMetadata;
import io.github.trm4j.data.DatasetWriter;
import io.github.trm4j.data.NpyType;
import io.github.trm4j.data.SplitWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * 4×4 Sudoku (2×2 boxes) with a unique solution, written in the official dataset layout with the
 * Sudoku token convention: 0 pad, 1 blank, digit d as d + 1 (vocabulary 6, 16 cells). Every puzzle
 * is its own group with one example; train and test puzzles never share their clue pattern and grid.
 */
final class TinySudoku {
    private TinySudoku() {}

    static final int CELLS = 16;

    /** All 288 solved 4×4 grids, digits 1..4, row-major. */
    static List<int[]> solutions() {
        List<int[]> out = new ArrayList<>();
        fill(new int[CELLS], 0, out);
        return out;
    }

    private static void fill(int[] g, int cell, List<int[]> out) {
        if (cell == CELLS) {
            out.add(g.clone());
            return;
        }
        for (int d = 1; d <= 4; d++) {
            if (allowed(g, cell, d)) {
                g[cell] = d;
                fill(g, cell + 1, out);
                g[cell] = 0;
            }
        }
    }

    private static boolean allowed(int[] g, int cell, int d) {
        int r = cell / 4, c = cell % 4;
        for (int i = 0; i < 4; i++) {
            if (g[r * 4 + i] == d || g[i * 4 + c] == d) return false;
        }
        int br = r / 2 * 2, bc = c / 2 * 2;
        for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) if (g[(br + i) * 4 + bc + j] == d) return false;
        return true;
    }

    /** Writes {@code train} and {@code test} puzzles with {@code blanks} empty cells each. */
    static Path write(Path dir, int train, int test, int blanks, long seed) {
        List<int[]> grids = solutions();
        SplittableRandom rng = new SplittableRandom(seed);
        HashSet<String> seen = new HashSet<>();
        try (DatasetWriter w = DatasetWriter.create(dir, false)) {
            for (String split : new String[] {"train", "test"}) {
                int n = split.equals("train") ? train : test;
                SplitWriter.Counts counts;
                try (SplitWriter s = w.split(split, NpyType.UINT8, CELLS)) {
                    int made = 0;
                    while (made < n) {
                        int[] sol = grids.get(rng.nextInt(grids.size()));
                        int[] puzzle = sol.clone();
                        int removed = 0;
                        while (removed < blanks) {
                            int c = rng.nextInt(CELLS);
                            if (puzzle[c] != 0) {
                                puzzle[c] = 0;
                                removed++;
                            }
                        }
                        if (countSolutions(puzzle, grids) != 1 || !seen.add(java.util.Arrays.toString(puzzle))) continue;
                        int[] in = new int[CELLS];
                        int[] label = new int[CELLS];
                        for (int i = 0; i < CELLS; i++) {
                            in[i] = puzzle[i] + 1;
                            label[i] = sol[i] + 1;
                        }
                        s.addExample(in, label);
                        s.endPuzzle(0);
                        s.endGroup();
                        made++;
                    }
                    counts = s.counts();
                }
                w.writeMetadata(split, new DatasetMetadata(0, 0, 0, 6, CELLS, 1, counts.groups(),
                        counts.meanPuzzleExamples(), counts.puzzles(), List.of("all")));
            }
            w.writeIdentifiers(List.of("<blank>"));
            return w.commit();
        }
    }

    private static int countSolutions(int[] puzzle, List<int[]> grids) {
        int n = 0;
        outer:
        for (int[] g : grids) {
            for (int i = 0; i < CELLS; i++) if (puzzle[i] != 0 && puzzle[i] != g[i]) continue outer;
            n++;
        }
        return n;
    }
}
