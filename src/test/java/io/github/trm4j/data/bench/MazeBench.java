package io.github.trm4j.data.bench;

import io.github.trm4j.data.Maze;
import io.github.trm4j.data.MazeGenerator;
import io.github.trm4j.data.MazeSolver;
import java.util.ArrayList;
import java.util.List;

/**
 * Maze generator and BFS solver throughput, in memory (no CSV). Not a test: run with
 * {@code mvn -q test-compile && java -cp target/classes:target/test-classes io.github.trm4j.data.bench.MazeBench [count]}.
 * Each figure is the best of 3 rounds after a warm-up round, single thread.
 */
public final class MazeBench {
    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        var settings = new MazeGenerator.Settings(30, 110, 5);
        List<Maze> mazes = new ArrayList<>(count);
        double bestGen = 0, bestSolve = 0;
        for (int round = 0; round < 4; round++) {
            mazes.clear();
            MazeGenerator gen = new MazeGenerator(settings, round);
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) mazes.add(Maze.of(gen.next().maze().question()));
            double gen_s = (System.nanoTime() - t0) / 1e9;

            long moves = 0;
            t0 = System.nanoTime();
            for (Maze m : mazes) moves += MazeSolver.solve(m).orElseThrow().moves();
            double solve_s = (System.nanoTime() - t0) / 1e9;
            if (round > 0) {
                bestGen = Math.max(bestGen, count / gen_s);
                bestSolve = Math.max(bestSolve, count / solve_s);
            }
            System.out.printf("round %d: generate %.0f mazes/s (%.2f attempts/maze), BFS solve %.0f mazes/s, mean path %.1f moves%n",
                    round, count / gen_s, (double) gen.attempts() / count, count / solve_s, (double) moves / count);
        }
        System.out.printf("best: generate 30x30 --min-path 110 --loops 5: %.0f mazes/s; BFS solve: %.0f mazes/s%n", bestGen, bestSolve);
    }
}
