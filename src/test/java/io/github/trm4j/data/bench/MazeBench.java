package io.github.trm4j.data.bench;

import io.github.trm4j.data.Maze;
import io.github.trm4j.data.MazeGenerator;
import io.github.trm4j.data.MazeSolver;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * Maze generator and BFS solver throughput, in memory (no CSV), single thread. Not a test: run with
 * {@code mvn -q test-compile && java -cp target/classes:target/test-classes io.github.trm4j.data.bench.MazeBench [count]}.
 * Reports the best of 3 rounds after a warm-up round, per wall second and per CPU second of the
 * thread (the second is stable on a machine shared with other jobs).
 */
public final class MazeBench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        var settings = new MazeGenerator.Settings(30, 110, 5);
        List<Maze> mazes = new ArrayList<>(count);
        double[] best = new double[4]; // generate wall, generate cpu, solve wall, solve cpu
        for (int round = 0; round < 4; round++) {
            mazes.clear();
            MazeGenerator gen = new MazeGenerator(settings, round);
            long w0 = System.nanoTime(), c0 = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < count; i++) mazes.add(gen.next().maze());
            double genWall = (System.nanoTime() - w0) / 1e9, genCpu = (THREADS.getCurrentThreadCpuTime() - c0) / 1e9;

            long moves = 0;
            w0 = System.nanoTime();
            c0 = THREADS.getCurrentThreadCpuTime();
            for (Maze m : mazes) moves += MazeSolver.solve(m).orElseThrow().moves();
            double solveWall = (System.nanoTime() - w0) / 1e9, solveCpu = (THREADS.getCurrentThreadCpuTime() - c0) / 1e9;
            System.out.printf("round %d: generate %.0f mazes/s (%.0f per CPU s, %.2f attempts/maze), BFS solve %.0f mazes/s (%.0f per CPU s), mean path %.1f moves%n",
                    round, count / genWall, count / genCpu, (double) gen.attempts() / count, count / solveWall, count / solveCpu,
                    (double) moves / count);
            if (round == 0) continue;
            best[0] = Math.max(best[0], count / genWall);
            best[1] = Math.max(best[1], count / genCpu);
            best[2] = Math.max(best[2], count / solveWall);
            best[3] = Math.max(best[3], count / solveCpu);
        }
        System.out.printf("best: generate 30x30 --min-path 110 --loops 5: %.0f mazes/s (%.0f per CPU s); BFS solve: %.0f mazes/s (%.0f per CPU s)%n",
                best[0], best[1], best[2], best[3]);
    }
}
