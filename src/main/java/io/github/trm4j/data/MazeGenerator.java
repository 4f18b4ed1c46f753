package io.github.trm4j.data;

import io.github.trm4j.AtomicOutput;
import io.github.trm4j.InputException;
import io.github.trm4j.Progress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Generates square mazes whose shortest S-to-G path is unique and longer than a minimum, seeded.
 *
 * <p>Recipe: carve a perfect maze (randomised depth-first search on a lattice of cells two apart,
 * so every pair of cells has exactly one path), optionally knock out {@code loops} extra walls,
 * put S at the cell farthest from a random cell (an end of a long corridor), and draw G among the
 * cells more than {@code minPath} moves from S whose shortest path is unique. A maze with no such
 * cell is redrawn. The answer comes from {@link MazeSolver}.
 */
public final class MazeGenerator {
    /** Source field written in generated CSVs. */
    public static final String SOURCE = "trm4j-gen";
    private static final int MAX_ATTEMPTS = 1000;
    private static final byte WALL = (byte) MazeCell.WALL.token();
    private static final byte OPEN = (byte) MazeCell.OPEN.token();

    /**
     * What to generate: {@code size}×{@code size} grids, shortest paths of more than {@code minPath}
     * moves, {@code loops} walls removed after carving (0 = a perfect maze).
     */
    public record Settings(int size, int minPath, int loops) {
        public Settings {
            if (size < 3 || size > 1024) throw new InputException("--size must be 3..1024, got " + size);
            if (minPath < 0) throw new InputException("--min-path must be >= 0, got " + minPath);
            if (loops < 0) throw new InputException("--loops must be >= 0, got " + loops);
        }

        /**
         * The settings of trm4j's mazes of side {@code size}: Maze-Hard's paths of more than 110 moves at
         * 30×30, elsewhere more than 2/15 of the cells (16 moves at 11×11, the shipped maze model's
         * data); 5 loops, as {@code trm data generate maze}.
         */
        public static Settings forSide(int size) {
            return new Settings(size, size == 30 ? 110 : size * size * 2 / 15, 5);
        }
    }

    /** One generated maze (with its answer) and the length of its unique shortest path. */
    public record Generated(Maze maze, int moves) {}

    /** What {@link #writeCsv} wrote. */
    public record Summary(int count, int attempts, int minMoves, int maxMoves, double meanMoves, double seconds) {
        public double mazesPerSecond() {
            return count / Math.max(seconds, 1e-9);
        }
    }

    private final Settings settings;
    private final SplittableRandom rng;
    private int attempts;

    public MazeGenerator(Settings settings, long seed) {
        this.settings = settings;
        this.rng = new SplittableRandom(seed);
    }

    /** Mazes tried so far, including the redrawn ones. */
    public int attempts() {
        return attempts;
    }

    /** The next maze; an {@link InputException} if the settings are out of reach. */
    public Generated next() {
        for (int failed = 0; failed < MAX_ATTEMPTS; failed++) {
            attempts++;
            Generated g = tryOnce();
            if (g != null) return g;
        }
        throw new InputException("no " + settings.size + "x" + settings.size + " maze with a unique shortest path of more than "
                + settings.minPath + " moves in " + MAX_ATTEMPTS + " attempts; lower --min-path or --loops, or raise --size");
    }

    /** Writes {@code count} mazes to {@code out} as Maze-Hard CSV, atomically; rating = path moves. */
    public static Summary writeCsv(Settings settings, int count, long seed, Path out, boolean force) {
        return writeCsv(settings, count, seed, out, force, Progress.off());
    }

    /** As {@link #writeCsv(Settings, int, long, Path, boolean)}, advancing {@code progress} maze by maze. */
    public static Summary writeCsv(Settings settings, int count, long seed, Path out, boolean force, Progress progress) {
        if (count < 1) throw new InputException("--count must be >= 1, got " + count);
        long t0 = System.nanoTime();
        MazeGenerator gen = new MazeGenerator(settings, seed);
        Path tmp = AtomicOutput.beginFile(out, force);
        int min = Integer.MAX_VALUE, max = 0;
        long sum = 0;
        try {
            try (MazeCsv.Writer w = new MazeCsv.Writer(tmp)) {
                for (int i = 0; i < count; i++) {
                    Generated g = gen.next();
                    w.write(SOURCE, g.maze(), Integer.toString(g.moves()));
                    min = Math.min(min, g.moves());
                    max = Math.max(max, g.moves());
                    sum += g.moves();
                    progress.stepTo(i + 1);
                }
            }
            AtomicOutput.commitFile(tmp, out);
        } catch (RuntimeException e) {
            AtomicOutput.abandon(tmp);
            throw e;
        }
        return new Summary(count, gen.attempts, min, max, (double) sum / count, (System.nanoTime() - t0) / 1e9);
    }

    private Generated tryOnce() {
        int side = settings.size;
        byte[] cells = carve(side);
        knockOutWalls(cells, side);
        int start = farthestFrom(cells, side, randomOpenCell(cells));
        MazeSolver.Search fromStart = MazeSolver.search(cells, side, start);
        int goal = drawGoal(fromStart);
        if (goal < 0) return null;
        cells[start] = (byte) MazeCell.START.token();
        cells[goal] = (byte) MazeCell.GOAL.token();
        Maze question = Maze.of(Grid.of(side, side, cells));
        MazeSolver.Solution s = MazeSolver.solve(question).orElseThrow();
        if (!s.unique() || s.moves() <= settings.minPath) throw new IllegalStateException("goal was drawn among unique far cells");
        return new Generated(question.withAnswer(s.answer()), s.moves());
    }

    /**
     * A perfect maze: lattice cells at (offset + 2i, offset + 2j) joined by a random spanning tree
     * (iterative depth-first search). For an even side the lattice leaves one border row and column
     * of wall, on the top-left or the bottom-right side at random.
     */
    private byte[] carve(int side) {
        byte[] cells = new byte[side * side];
        Arrays.fill(cells, WALL);
        int offset = side % 2 == 0 ? rng.nextInt(2) : 0;
        int m = (side - offset + 1) / 2; // lattice cells per row
        boolean[] seen = new boolean[m * m];
        int[] stack = new int[m * m];
        int[] options = new int[4];
        int top = 0;
        int first = rng.nextInt(m * m);
        stack[top++] = first;
        seen[first] = true;
        cells[at(first, m, offset, side)] = OPEN;
        while (top > 0) {
            int u = stack[top - 1], i = u / m, j = u % m, n = 0;
            if (i > 0 && !seen[u - m]) options[n++] = u - m;
            if (i < m - 1 && !seen[u + m]) options[n++] = u + m;
            if (j > 0 && !seen[u - 1]) options[n++] = u - 1;
            if (j < m - 1 && !seen[u + 1]) options[n++] = u + 1;
            if (n == 0) {
                top--;
                continue;
            }
            int v = options[rng.nextInt(n)];
            seen[v] = true;
            int a = at(u, m, offset, side), b = at(v, m, offset, side);
            cells[(a + b) / 2] = OPEN; // the wall between two lattice cells
            cells[b] = OPEN;
            stack[top++] = v;
        }
        return cells;
    }

    private static int at(int latticeCell, int m, int offset, int side) {
        return (offset + 2 * (latticeCell / m)) * side + offset + 2 * (latticeCell % m);
    }

    /** Opens up to {@code loops} walls that sit between two open cells in a row or a column. */
    private void knockOutWalls(byte[] cells, int side) {
        for (int k = 0, tries = 0; k < settings.loops && tries < 20 * settings.loops; tries++) {
            int p = rng.nextInt(cells.length), r = p / side, c = p % side;
            if (cells[p] != WALL) continue;
            boolean horizontal = c > 0 && c < side - 1 && cells[p - 1] == OPEN && cells[p + 1] == OPEN
                    && (r == 0 || cells[p - side] == WALL) && (r == side - 1 || cells[p + side] == WALL);
            boolean vertical = r > 0 && r < side - 1 && cells[p - side] == OPEN && cells[p + side] == OPEN
                    && (c == 0 || cells[p - 1] == WALL) && (c == side - 1 || cells[p + 1] == WALL);
            if (horizontal || vertical) {
                cells[p] = OPEN;
                k++;
            }
        }
    }

    private int randomOpenCell(byte[] cells) {
        while (true) {
            int p = rng.nextInt(cells.length);
            if (cells[p] == OPEN) return p;
        }
    }

    private static int farthestFrom(byte[] cells, int side, int from) {
        int[] dist = MazeSolver.search(cells, side, from).dist();
        int best = from;
        for (int p = 0; p < dist.length; p++) if (dist[p] > dist[best]) best = p;
        return best;
    }

    /** A uniformly drawn cell more than minPath moves from the start with a unique shortest path, or -1. */
    private int drawGoal(MazeSolver.Search s) {
        int[] dist = s.dist();
        int n = 0;
        for (int p = 0; p < dist.length; p++) if (dist[p] > settings.minPath && s.count()[p] == 1) n++;
        if (n == 0) return -1;
        int pick = rng.nextInt(n);
        for (int p = 0; p < dist.length; p++) {
            if (dist[p] > settings.minPath && s.count()[p] == 1 && pick-- == 0) return p;
        }
        throw new IllegalStateException("unreachable");
    }
}
