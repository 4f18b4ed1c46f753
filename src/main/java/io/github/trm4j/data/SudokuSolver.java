package io.github.trm4j.data;

import java.util.random.RandomGenerator;

/**
 * Exact 9×9 Sudoku solver: bitboard constraint propagation (naked and hidden singles, and per digit
 * the locked candidates that no placement within a band or stack can use) with depth-first search
 * that branches on a cell with the fewest candidates. It counts solutions up to two, so it tells a
 * unique puzzle from one with none or several. {@link #rating} measures difficulty.
 *
 * <p>State per search level, 30 ints: for each digit d (0..8 for 1..9) and band b (rows 3b..3b+2)
 * a 27-bit mask of the cells of that band where d is still possible ({@code cand[3d + b]}, bit
 * 9·(row mod 3) + column), then the 3 bands' masks of unsolved cells. A solved cell keeps only its
 * digit's bit. Copying 30 ints per branch is cheaper than undoing.
 *
 * <p>Not thread-safe: use one solver per thread.
 */
public final class SudokuSolver {
    /** How many solutions a puzzle has, counted up to two. */
    public enum Status { NONE, UNIQUE, MULTIPLE }

    /**
     * @param solution the first solution found (null for NONE)
     * @param guesses  branch nodes visited in the whole search (to the second solution or exhaustion)
     */
    public record Result(Status status, Grid solution, long guesses) {}

    private static final int BAND = 0x7FFFFFF;
    private static final int UNSOLVED = 27;
    private static final int STATE = 30;
    private static final int COL = 0x40201;  // bits c, c+9, c+18 of a band, shifted by c
    private static final int BOX = 0x1C0E07; // 3×3 box of a band, shifted by 3·(box column)
    private static final int[] PEERS = new int[27]; // row and box of a band cell, cell included
    private static final int[] OTHER1 = {1, 2, 0};
    private static final int[] OTHER2 = {2, 0, 1};

    private static final int[] ROW_BOXES = new int[512]; // 9-bit row -> 3-bit mask of boxes it touches
    private static final int[] FEASIBLE = new int[512];  // band mini-row occupancy -> mini-rows some placement uses
    private static final int[] MINI_ROWS = new int[512]; // 9-bit mini-row mask -> its 27 cells
    private static final int[] COLUMNS = new int[8];     // 3-bit column choice within a stack -> band cells

    static {
        for (int p = 0; p < 27; p++) PEERS[p] = (0x1FF << (p / 9 * 9)) | (BOX << (p % 9 / 3 * 3));
        for (int c = 0; c < 8; c++) for (int j = 0; j < 3; j++) if ((c & (1 << j)) != 0) COLUMNS[c] |= COL << j;
        for (int m = 0; m < 512; m++) {
            for (int j = 0; j < 3; j++) if ((m & (7 << (3 * j))) != 0) ROW_BOXES[m] |= 1 << j;
            for (int k = 0; k < 9; k++) if ((m & (1 << k)) != 0) MINI_ROWS[m] |= 7 << (9 * (k / 3) + 3 * (k % 3));
            // a digit sits once in each row and each box of a band: rows 0,1,2 take boxes s0,s1,s2 (a permutation)
            int[][] perms = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
            for (int[] s : perms) {
                int used = (1 << s[0]) | (1 << (3 + s[1])) | (1 << (6 + s[2]));
                if ((m & used) == used) FEASIBLE[m] |= used;
            }
        }
    }

    private final int[] st = new int[STATE * 82];
    private final int[] solved = new int[STATE];
    private final int[] digits = new int[9 * 82]; // branch digits, 9 per level
    private RandomGenerator rng;
    private boolean locked = true; // locked-candidate reasoning (off only for rating)
    private int dirty; // digits whose candidates changed since their last digitPass
    private int limit;
    private int solutions;
    private int deadEnds;
    private int ratingAtFirst;
    private long guesses;

    /** Solves {@code puzzle} (9×9, 0 = blank), counting solutions up to two. */
    public Result solve(Grid puzzle) {
        return run(puzzle, 2, null);
    }

    /**
     * Search-effort rating: the dead ends (contradictions) met before the first solution by a
     * simpler search that propagates naked and hidden singles only, branches on the first cell with
     * the fewest candidates and tries digits in ascending order; 0 when it never backs up (for a
     * puzzle without solution: all its dead ends). This reproduces the {@code rating} column of the
     * shared {@code *_solved.csv} files exactly.
     */
    public int rating(Grid puzzle) {
        locked = false;
        try {
            run(puzzle, 1, null);
            return solutions > 0 ? ratingAtFirst : deadEnds;
        } finally {
            locked = true;
        }
    }

    /** The first solution found trying each cell's digits in random order, or null if there is none. */
    public Grid randomSolution(Grid puzzle, RandomGenerator random) {
        return run(puzzle, 1, random).solution();
    }

    /** Whether {@code puzzle} has exactly one solution. */
    public boolean isUnique(Grid puzzle) {
        return run(puzzle, 2, null).status() == Status.UNIQUE;
    }

    /**
     * Whether {@code puzzle} has a solution whose blank {@code cell} (row-major index) holds a digit
     * other than {@code value}. For a puzzle made by blanking that cell of a unique puzzle, false
     * means it is still unique: one first-solution search instead of counting to two.
     */
    public boolean hasSolutionWithout(Grid puzzle, int cell, int value) {
        if (puzzle.get(cell / 9, cell % 9) != 0) throw new IllegalArgumentException("cell " + cell + " is not blank");
        if (value < 1 || value > 9) throw new IllegalArgumentException("value " + value + " is not a digit 1..9");
        return run(puzzle, 1, null, cell, value).status() != Status.NONE;
    }

    private Result run(Grid puzzle, int maxSolutions, RandomGenerator random) {
        return run(puzzle, maxSolutions, random, -1, 0);
    }

    private Result run(Grid puzzle, int maxSolutions, RandomGenerator random, int excludedCell, int excludedValue) {
        if (puzzle.height() != 9 || puzzle.width() != 9) throw new IllegalArgumentException("a Sudoku is 9x9, got " + puzzle.height() + "x" + puzzle.width());
        limit = maxSolutions;
        rng = random;
        solutions = 0;
        deadEnds = 0;
        ratingAtFirst = 0;
        guesses = 0;
        if (load(puzzle)) {
            if (excludedCell >= 0) st[3 * (excludedValue - 1) + excludedCell / 27] &= ~(1 << (excludedCell % 27));
            dirty = 0x1FF;
            search(0);
        } else {
            deadEnds++;
        }
        if (solutions == 0) return new Result(Status.NONE, null, guesses);
        return new Result(solutions == 1 ? Status.UNIQUE : Status.MULTIPLE, readGrid(solved), guesses);
    }

    /** Level 0 state with every given placed; false if two givens clash. */
    private boolean load(Grid puzzle) {
        for (int i = 0; i < 27; i++) st[i] = BAND;
        for (int b = 0; b < 3; b++) st[UNSOLVED + b] = BAND;
        for (int i = 0; i < 81; i++) {
            int v = puzzle.get(i / 9, i % 9);
            if (v > 9) throw new IllegalArgumentException("cell " + i + " = " + v + " is out of 0..9");
            if (v != 0 && !place(0, v - 1, i / 27, i % 27)) return false;
        }
        return true;
    }

    /** Depth-first search from the state of {@code level}; the last candidate reuses that state instead of a copy. */
    private void search(int level) {
        int base = level * STATE;
        while (true) {
            if (!propagate(base)) {
                deadEnds++;
                return;
            }
            int cell = branchCell(base);
            if (cell < 0) {
                if (++solutions == 1) {
                    System.arraycopy(st, base, solved, 0, STATE);
                    ratingAtFirst = deadEnds;
                }
                return;
            }
            int b = cell / 27, p = cell % 27, bit = 1 << p;
            int first = level * 9, n = 0;
            for (int d = 0; d < 9; d++) if ((st[base + 3 * d + b] & bit) != 0) digits[first + n++] = d;
            if (rng != null) shuffle(first, n);
            int next = base + STATE;
            for (int k = 0; k < n - 1; k++) {
                System.arraycopy(st, base, st, next, STATE);
                guesses++;
                dirty = 0;
                place(next, digits[first + k], b, p);
                search(level + 1);
                if (solutions >= limit) return;
            }
            guesses++;
            dirty = 0;
            place(base, digits[first + n - 1], b, p);
        }
    }

    /**
     * Places digit d at bit p of band b: clears the cell from other digits and d from the cell's
     * row, column and box. False if the cell cannot take d.
     */
    private boolean place(int base, int d, int b, int p) {
        int bit = 1 << p;
        int own = base + 3 * d;
        if ((st[base + UNSOLVED + b] & bit) == 0) return (st[own + b] & bit) != 0;
        if ((st[own + b] & bit) == 0) return false;
        for (int e = 0, i = base + b; e < 9; e++, i += 3) {
            int v = st[i];
            st[i] = v & ~bit;
            dirty |= ((v >>> p) & 1) << e;
        }
        dirty |= 1 << d;
        st[own + b] = (st[own + b] & ~PEERS[p]) | bit;
        int col = COL << (p % 9);
        st[own + OTHER1[b]] &= ~col;
        st[own + OTHER2[b]] &= ~col;
        st[base + UNSOLVED + b] &= ~bit;
        return true;
    }

    /** Applies naked and hidden singles until nothing changes; false on a contradiction. */
    private boolean propagate(int base) {
        for (boolean changed = true; changed; ) {
            changed = false;
            for (int b = 0; b < 3; b++) {
                int u = st[base + UNSOLVED + b];
                if (u == 0) continue;
                int one = 0, two = 0;
                for (int e = base + b; e < base + 27; e += 3) {
                    two |= one & st[e];
                    one |= st[e];
                }
                if ((u & ~one) != 0) return false; // an unsolved cell with no candidate
                for (int singles = u & ~two; singles != 0; singles &= singles - 1) {
                    int p = Integer.numberOfTrailingZeros(singles);
                    int d = digitAt(base, b, 1 << p);
                    if (d < 0 || !place(base, d, b, p)) return false;
                    changed = true;
                }
            }
            if (changed || dirty == 0) continue;
            changed = true;
            int todo = dirty;
            dirty = 0;
            for (; todo != 0; todo &= todo - 1) if (!digitPass(base, Integer.numberOfTrailingZeros(todo))) return false;
        }
        return true;
    }

    /**
     * For digit d: drops candidates that no placement of d in a band (each row and box once) or a
     * stack (each column and box once) can use, then places d where a row, column or box has one
     * possible cell. False on a contradiction; changes mark digits dirty.
     */
    private boolean digitPass(int base, int d) {
        int own = base + 3 * d;
        int x0 = st[own], x1 = st[own + 1], x2 = st[own + 2];
        if (locked) {
            x0 &= MINI_ROWS[FEASIBLE[miniRows(x0)]];
            x1 &= MINI_ROWS[FEASIBLE[miniRows(x1)]];
            x2 &= MINI_ROWS[FEASIBLE[miniRows(x2)]];
        }
        int f0 = columns(x0), f1 = columns(x1), f2 = columns(x2);
        for (int s = 0, shift = 0; locked && s < 3; s++, shift += 3) {
            int occupied = (f0 >>> shift & 7) | (f1 >>> shift & 7) << 3 | (f2 >>> shift & 7) << 6;
            int feasible = FEASIBLE[occupied];
            if (feasible == occupied) continue;
            int outside = ~(BOX << shift);
            x0 &= outside | (COLUMNS[feasible & 7] << shift);
            x1 &= outside | (COLUMNS[feasible >>> 3 & 7] << shift);
            x2 &= outside | (COLUMNS[feasible >>> 6] << shift);
        }
        if ((x0 ^ st[own]) != 0 || (x1 ^ st[own + 1]) != 0 || (x2 ^ st[own + 2]) != 0) {
            st[own] = x0;
            st[own + 1] = x1;
            st[own + 2] = x2;
            dirty |= 1 << d;
        }
        for (int b = 0; b < 3; b++) {
            int x = b == 0 ? x0 : b == 1 ? x1 : x2;
            int u = st[base + UNSOLVED + b];
            for (int k = 0; k < 3; k++) {
                int row = x & (0x1FF << (9 * k));
                int box = x & (BOX << (3 * k));
                if (row == 0 || box == 0) return false;
                if ((row & (row - 1)) == 0 && (row & u) != 0) {
                    if (!place(base, d, b, Integer.numberOfTrailingZeros(row))) return false;
                }
                if ((box & (box - 1)) == 0 && (box & u) != 0) {
                    if (!place(base, d, b, Integer.numberOfTrailingZeros(box))) return false;
                }
            }
        }
        f0 = columns(x0);
        f1 = columns(x1);
        f2 = columns(x2);
        int once = f0 | f1 | f2;
        if (once != 0x1FF) return false;
        int twice = twiceInBand(x0) | twiceInBand(x1) | twiceInBand(x2) | (f0 & f1) | (f0 & f2) | (f1 & f2);
        for (int cols = once & ~twice; cols != 0; cols &= cols - 1) {
            int col = COL << Integer.numberOfTrailingZeros(cols);
            int b = (x0 & col) != 0 ? 0 : (x1 & col) != 0 ? 1 : 2;
            int m = (b == 0 ? x0 : b == 1 ? x1 : x2) & col;
            if ((m & st[base + UNSOLVED + b]) != 0) {
                if (!place(base, d, b, Integer.numberOfTrailingZeros(m))) return false;
            }
        }
        return true;
    }

    /** (9,) bit 3·row + box: which mini-rows of a band hold a candidate. */
    private static int miniRows(int x) {
        return ROW_BOXES[x & 0x1FF] | ROW_BOXES[(x >>> 9) & 0x1FF] << 3 | ROW_BOXES[x >>> 18] << 6;
    }

    /** (9,) columns of a band holding a candidate. */
    private static int columns(int x) {
        return (x | x >>> 9 | x >>> 18) & 0x1FF;
    }

    /** (9,) columns of a band holding two or more candidates. */
    private static int twiceInBand(int x) {
        int r0 = x & 0x1FF, r1 = (x >>> 9) & 0x1FF, r2 = x >>> 18;
        return (r0 & r1) | (r0 & r2) | (r1 & r2);
    }

    /** An unsolved cell with the fewest candidates (a two-candidate cell when there is one), or -1 if solved. */
    private int branchCell(int base) {
        int unsolved = 0;
        for (int b = 0; b < 3; b++) {
            int u = st[base + UNSOLVED + b];
            unsolved |= u;
            if (u == 0) continue;
            int one = 0, two = 0, three = 0;
            for (int e = base + b; e < base + 27; e += 3) {
                three |= two & st[e];
                two |= one & st[e];
                one |= st[e];
            }
            int pairs = u & two & ~three;
            if (pairs != 0) return 27 * b + Integer.numberOfTrailingZeros(pairs);
        }
        if (unsolved == 0) return -1;
        int bestCell = -1, bestCount = 10;
        for (int b = 0; b < 3; b++) {
            for (int m = st[base + UNSOLVED + b]; m != 0; m &= m - 1) {
                int p = Integer.numberOfTrailingZeros(m), n = 0;
                for (int e = base + b; e < base + 27; e += 3) n += (st[e] >>> p) & 1;
                if (n < bestCount) {
                    bestCount = n;
                    bestCell = 27 * b + p;
                }
            }
        }
        return bestCell;
    }

    private int digitAt(int base, int b, int bit) {
        for (int d = 0; d < 9; d++) if ((st[base + 3 * d + b] & bit) != 0) return d;
        return -1;
    }

    private void shuffle(int first, int n) {
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = digits[first + i];
            digits[first + i] = digits[first + j];
            digits[first + j] = t;
        }
    }

    private static Grid readGrid(int[] state) {
        byte[] cells = new byte[81];
        for (int d = 0; d < 9; d++) {
            for (int b = 0; b < 3; b++) {
                for (int m = state[3 * d + b]; m != 0; m &= m - 1) cells[27 * b + Integer.numberOfTrailingZeros(m)] = (byte) (d + 1);
            }
        }
        return Grid.of(9, 9, cells);
    }
}
