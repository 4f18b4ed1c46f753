package io.github.trm4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MazeGeneratorTest {
    @Test
    void mazeHardSettingsGiveUniqueShortestPathsOverTheMinimum() {
        for (int loops : new int[] {0, 5, 10}) {
            MazeGenerator gen = new MazeGenerator(new MazeGenerator.Settings(30, 110, loops), 42);
            for (int i = 0; i < 100; i++) {
                MazeGenerator.Generated g = gen.next();
                Maze m = g.maze();
                assertEquals(30, m.side());
                MazeSolver.Solution s = MazeSolver.solve(Maze.of(m.question())).orElseThrow();
                assertTrue(s.unique(), "unique shortest path");
                assertTrue(s.moves() > 110, "more than 110 moves: " + s.moves());
                assertEquals(s.moves(), g.moves());
                assertEquals(s.answer(), m.answer().orElseThrow());
                MazeSolver.checkAnswer(m);
                // The answer is the question plus exactly moves-1 path cells.
                String q = Maze.text(m.question()), a = Maze.text(m.answer().get());
                int marked = 0;
                for (int k = 0; k < q.length(); k++) {
                    if (a.charAt(k) == 'o') {
                        marked++;
                        assertEquals(' ', q.charAt(k));
                    } else {
                        assertEquals(q.charAt(k), a.charAt(k));
                    }
                }
                assertEquals(s.moves() - 1, marked);
            }
        }
    }

    @Test
    void smallAndOddSizesWork() {
        for (int size : new int[] {3, 4, 7, 31}) {
            MazeGenerator gen = new MazeGenerator(new MazeGenerator.Settings(size, 1, 2), 1);
            for (int i = 0; i < 20; i++) {
                MazeGenerator.Generated g = gen.next();
                assertEquals(size, g.maze().side());
                assertTrue(g.moves() > 1);
                assertTrue(MazeSolver.solve(g.maze()).orElseThrow().unique());
            }
        }
    }

    @Test
    void sameSeedSameMazesOtherSeedOtherMazes() {
        assertEquals(take(7, 10), take(7, 10));
        assertNotEquals(take(7, 10), take(8, 10));
    }

    private static List<Maze> take(long seed, int n) {
        MazeGenerator gen = new MazeGenerator(new MazeGenerator.Settings(30, 110, 5), seed);
        List<Maze> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(gen.next().maze());
        return out;
    }

    @Test
    void unreachableSettingsFailWithAHint() {
        // A 5x5 grid has 25 cells: no path can have more than 24 moves.
        MazeGenerator gen = new MazeGenerator(new MazeGenerator.Settings(5, 30, 0), 1);
        InputException e = assertThrows(InputException.class, gen::next);
        assertTrue(e.getMessage().contains("lower --min-path"), e.getMessage());
        assertThrows(InputException.class, () -> new MazeGenerator.Settings(2, 1, 0));
        assertThrows(InputException.class, () -> new MazeGenerator.Settings(30, -1, 0));
    }

    @Test
    void writesTheMazeHardCsvAtomically(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("mazes.csv");
        var settings = new MazeGenerator.Settings(30, 110, 5);
        MazeGenerator.Summary s = MazeGenerator.writeCsv(settings, 20, 3, out, false);
        assertEquals(20, s.count());
        assertTrue(s.minMoves() > 110);
        List<MazeCsv.Entry> rows = MazeCsv.read(out); // re-validates every answer
        assertEquals(20, rows.size());
        for (MazeCsv.Entry e : rows) {
            assertEquals(MazeGenerator.SOURCE, e.source());
            assertEquals(Integer.toString(MazeSolver.solve(e.maze()).orElseThrow().moves()), e.rating());
        }
        assertThrows(InputException.class, () -> MazeGenerator.writeCsv(settings, 1, 3, out, false));
        assertThrows(InputException.class, () -> MazeGenerator.writeCsv(new MazeGenerator.Settings(5, 30, 0), 1, 3, tmp.resolve("none.csv"), false));
        assertFalse(Files.exists(tmp.resolve("none.csv")));
        try (var files = Files.list(tmp)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }
}
