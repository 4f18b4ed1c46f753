package io.github.trm4j.bench;

import io.github.trm4j.data.SudokuGenerator;
import io.github.trm4j.data.SudokuPuzzle;
import io.github.trm4j.data.SudokuReader;
import io.github.trm4j.data.SudokuSolver;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Steady-state Sudoku solver and generator throughput, single thread, after JIT warm-up (the CLI
 * numbers include JVM start and warm-up). Not a test. Run from the repo root:
 *
 * <pre>
 * mvn -q test-compile
 * java -cp target/classes:target/test-classes io.github.trm4j.bench.SudokuBench ../shared/data/sudoku
 * </pre>
 *
 * Reports wall and thread-CPU rates: on a shared machine the CPU rate is the stabler one.
 */
public final class SudokuBench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/data/sudoku");
        solver(dir.resolve("magictour_top1465_solved.csv"), 5, 20);
        solver(dir.resolve("17_clue_solved.csv"), 1, 5);
        generator("minimal", SudokuGenerator.Target.minimal(), 3000);
        generator("--givens 22-26", SudokuGenerator.Target.givens(22, 26), 3000);
        generator("--givens 30-35", SudokuGenerator.Target.givens(30, 35), 3000);
        generator("--min-rating 5", SudokuGenerator.Target.rating(5), 100);
        generator("--min-rating 10", SudokuGenerator.Target.rating(10), 50);
    }

    private static void solver(Path file, int warmups, int rounds) {
        List<SudokuPuzzle> puzzles = SudokuReader.readAll(file);
        SudokuSolver solver = new SudokuSolver();
        double[] wall = new double[rounds], cpu = new double[rounds];
        long guesses = 0;
        for (int round = -warmups; round < rounds; round++) {
            long w0 = System.nanoTime(), c0 = THREADS.getCurrentThreadCpuTime();
            guesses = 0;
            for (SudokuPuzzle p : puzzles) {
                SudokuSolver.Result r = solver.solve(p.question());
                if (!r.solution().equals(p.answer())) throw new AssertionError("wrong answer in " + file);
                guesses += r.guesses();
            }
            if (round >= 0) {
                wall[round] = puzzles.size() / ((System.nanoTime() - w0) / 1e9);
                cpu[round] = puzzles.size() / ((THREADS.getCurrentThreadCpuTime() - c0) / 1e9);
            }
        }
        System.out.printf("solve %s: %,d puzzles, %.1f guesses each; puzzles/s wall median %,.0f best %,.0f; cpu median %,.0f best %,.0f%n",
                file.getFileName(), puzzles.size(), (double) guesses / puzzles.size(), median(wall), max(wall), median(cpu), max(cpu));
    }

    private static void generator(String name, SudokuGenerator.Target target, int count) {
        SudokuGenerator warm = new SudokuGenerator(-1);
        for (int i = 0; i < Math.min(count, 300); i++) warm.next(target);
        SudokuGenerator gen = new SudokuGenerator(1);
        long w0 = System.nanoTime(), c0 = THREADS.getCurrentThreadCpuTime();
        long attempts = 0, givens = 0, rating = 0;
        for (int i = 0; i < count; i++) {
            SudokuGenerator.Generated g = gen.next(target);
            attempts += g.attempts();
            givens += g.puzzle().givens();
            rating += g.rating();
        }
        double wall = (System.nanoTime() - w0) / 1e9, cpu = (THREADS.getCurrentThreadCpuTime() - c0) / 1e9;
        System.out.printf("generate %s: %,d puzzles, mean givens %.1f, mean rating %.1f, %.2f attempts each; puzzles/s wall %,.0f cpu %,.0f%n",
                name, count, (double) givens / count, (double) rating / count, (double) attempts / count, count / wall, count / cpu);
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double max(double[] a) {
        return Arrays.stream(a).max().orElse(0);
    }
}
