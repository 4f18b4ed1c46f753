package io.github.trm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.data.PuzzleDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SudokuCommandsTest {
    static final String Q = "4...3.......6..8..........1....5..9..8....6...7.2........1.27..5.3....4.9........";
    private static final String A = "468931527751624839392578461134756298289413675675289314846192753513867942927345186";



    static Path magictour() {
        for (Path dir : new Path[] {Path.of("..", "shared", "data", "sudoku"), Path.of("/work/shared/data/sudoku")}) {
            Path f = dir.resolve("magictour_top1465_solved.csv");
            if (Files.isRegularFile(f)) return f;
        }
        throw new org.opentest4j.TestAbortedException("shared Sudoku data not found");
    }

    static Path csv(Path dir, String name, int from, int n) throws Exception {
        List<String> lines = Files.readAllLines(magictour());
        List<String> out = new ArrayList<>(List.of(lines.get(0)));
        out.addAll(lines.subList(1 + from, 1 + from + n));
        return Files.write(dir.resolve(name), out);
    }

    @Test
    void solveWritesOneLinePerPuzzleInOrder(@TempDir Path tmp) throws Exception {
        String clash = "55" + ".".repeat(79);
        Path in = Files.writeString(tmp.resolve("in.csv"), "source,question,answer,rating\na," + Q + "," + A + ",1\nb," + ".".repeat(81) + ",,\nc," + clash + ",,\nd," + Q + ",,\n");
        CliRun r = CliRun.of("data", "solve", "sudoku", "--input", in.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(A + "\nmultiple\nnone\n" + A + "\n", r.out().replace("\r\n", "\n"));
        assertTrue(r.err().contains("solved 4 puzzles: 2 unique, 1 none, 1 multiple"), r.err());
        assertTrue(r.err().contains("1 of 1 given answers agree"), r.err());
        assertTrue(r.err().contains("puzzles/s"), r.err());

        Path txt = Files.writeString(tmp.resolve("in.txt"), "# comment\r\n" + Q + "\r\n");
        Path out = tmp.resolve("sol.txt");
        r = CliRun.of("data", "solve", "sudoku", "--input", txt.toString(), "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(List.of(A), Files.readAllLines(out));
        assertEquals("", r.out());
        assertEquals(2, CliRun.of("data", "solve", "sudoku", "--input", txt.toString(), "--out", out.toString()).exitCode(), "existing --out needs --force");
        assertEquals(0, CliRun.of("data", "solve", "sudoku", "--input", txt.toString(), "--out", out.toString(), "--force").exitCode());
    }

    @Test
    void solveRejectsMalformedInputWithOneLine(@TempDir Path tmp) throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.txt"), Q + "\n" + Q.substring(1) + "\n");
        CliRun r = CliRun.of("data", "solve", "sudoku", "--input", bad.toString(), "--out", tmp.resolve("o.txt").toString());
        assertEquals(2, r.exitCode());
        assertEquals("trm: " + bad + ":2: expected 81 characters, got 80", r.err().strip());
        assertFalse(Files.exists(tmp.resolve("o.txt")), "no partial output");
    }

    @Test
    void generateWritesAReadableCsvAndChecksItsOptions(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("gen.csv");
        CliRun r = CliRun.of("data", "generate", "sudoku", "--count", "5", "--givens", "30-32", "--seed", "3", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("wrote 5 puzzles") && r.err().contains("puzzles/s"), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(6, lines.size());
        CliRun solved = CliRun.of("data", "solve", "sudoku", "--input", out.toString());
        assertTrue(solved.err().contains("5 unique") && solved.err().contains("5 of 5 given answers agree"), solved.err());

        assertEquals(2, CliRun.of("data", "generate", "sudoku", "--count", "5", "--out", out.toString()).exitCode(), "exists, no --force");
        CliRun bad = CliRun.of("data", "generate", "sudoku", "--count", "1", "--givens", "10-12", "--out", tmp.resolve("x.csv").toString());
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("--givens"), bad.err());
        assertEquals(2, CliRun.of("data", "generate", "sudoku", "--count", "1", "--givens", "many", "--out", tmp.resolve("x.csv").toString()).exitCode());
        assertEquals(2, CliRun.of("data", "generate", "sudoku", "--count", "1", "--givens", "22-26", "--min-rating", "2", "--out", tmp.resolve("x.csv").toString()).exitCode());
        assertFalse(Files.exists(tmp.resolve("x.csv")));
    }

    @Test
    void buildWritesTheDatasetAndRefusesBadInput(@TempDir Path tmp) throws Exception {
        Path train = csv(tmp, "train.csv", 0, 5);
        Path test = csv(tmp, "test.csv", 10, 3);
        Path out = tmp.resolve("ds");
        CliRun r = CliRun.of("data", "build", "sudoku", "--input", train.toString(), "--test-input", test.toString(), "--augment", "3", "--seed", "1", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("train: 20 examples, 20 puzzles, 5 groups, int64 tokens"), r.err());
        assertTrue(r.err().contains("test: 3 examples, 3 puzzles, 3 groups, uint8 tokens"), r.err());
        assertEquals(20, PuzzleDataset.open(out, "train").examples());
        assertEquals(3, PuzzleDataset.open(out, "test").groups());

        assertEquals(2, CliRun.of("data", "build", "sudoku", "--input", train.toString(), "--out", out.toString()).exitCode(), "non-empty --out");
        CliRun forced = CliRun.of("data", "build", "sudoku", "--input", train.toString(), "--subsample", "2", "--out", out.toString(), "--force");
        assertEquals(0, forced.exitCode(), forced.err());
        assertTrue(forced.err().contains("train split only"), forced.err());
        assertFalse(Files.exists(out.resolve("test")));

        Path broken = Files.writeString(tmp.resolve("broken.csv"), "source,question,answer,rating\ns," + Q + "," + A.substring(0, 70));
        CliRun bad = CliRun.of("data", "build", "sudoku", "--input", broken.toString(), "--out", tmp.resolve("ds2").toString());
        assertEquals(2, bad.exitCode());
        assertEquals("trm: " + broken + ":2: expected 4 fields (source,question,answer,rating), got 3 (truncated row?)", bad.err().strip());
        assertFalse(Files.exists(tmp.resolve("ds2")));

        CliRun help = CliRun.of("data", "build", "sudoku", "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("Without --test-input only the train") && help.out().contains("Default: 0"), help.out());
    }
}
