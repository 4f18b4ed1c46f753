package io.github.trm4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.data.DatasetMetadata;
import io.github.trm4j.data.Dihedral;
import io.github.trm4j.data.Grid;
import io.github.trm4j.data.Maze;
import io.github.trm4j.data.MazeCsv;
import io.github.trm4j.data.PuzzleDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MazeCommandsTest {
    @TempDir Path tmp;

    Path generate(String name, int count, long seed) {
        Path out = tmp.resolve(name);
        CliRun r = CliRun.of("data", "generate", "maze", "--size", "30", "--count", "" + count, "--min-path", "110", "--seed", "" + seed,
                "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("mazes/s"), r.err());
        return out;
    }

    @Test
    void generateIsSeededAndRefusesToOverwrite() throws Exception {
        Path a = generate("a.csv", 5, 9), b = generate("b.csv", 5, 9);
        assertEquals(Files.readString(a), Files.readString(b));
        CliRun again = CliRun.of("data", "generate", "maze", "--count", "1", "--out", a.toString());
        assertEquals(2, again.exitCode());
        assertTrue(again.err().startsWith("trm: " + a + ": output file exists (pass --force"), again.err());
        assertEquals(0, CliRun.of("data", "generate", "maze", "--count", "2", "--force", "--out", a.toString()).exitCode());
        assertEquals(2, MazeCsv.read(a).size());
        CliRun impossible = CliRun.of("data", "generate", "maze", "--size", "5", "--min-path", "40", "--count", "1", "--out", tmp.resolve("x.csv").toString());
        assertEquals(2, impossible.exitCode());
        assertFalse(Files.exists(tmp.resolve("x.csv")));
    }

    @Test
    void solvePrintsOneGridPerLineAndASummary() throws Exception {
        Path csv = generate("m.csv", 4, 1);
        List<MazeCsv.Entry> mazes = MazeCsv.read(csv);
        Path unsolvable = tmp.resolve("u.csv");
        Files.writeString(unsolvable, "source,question,answer,rating\nx,S###G    ,,0\ny,SG  ,,0\n");
        CliRun r = CliRun.of("data", "solve", "maze", "--input", csv.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(4, lines.size());
        for (int i = 0; i < 4; i++) assertEquals(Maze.text(mazes.get(i).maze().answer().orElseThrow()), lines.get(i));
        assertTrue(r.err().contains("solved 4 of 4 mazes (4 with a unique shortest path)"), r.err());
        assertTrue(r.err().contains("4 of 4 given answers agree"), r.err());

        Path out = tmp.resolve("sol.txt");
        CliRun u = CliRun.of("data", "solve", "maze", "--input", unsolvable.toString(), "--out", out.toString());
        assertEquals(0, u.exitCode(), u.err());
        assertEquals(List.of("none", "SG  "), Files.readAllLines(out));
        assertTrue(u.err().contains("solved 1 of 2 mazes"), u.err());
        assertEquals(2, CliRun.of("data", "solve", "maze", "--input", unsolvable.toString(), "--out", out.toString()).exitCode());
    }

    @Test
    void buildWritesTheOfficialLayout() throws Exception {
        Path train = generate("train.csv", 3, 1), test = generate("test.csv", 2, 2);
        Path ds = tmp.resolve("ds");
        CliRun r = CliRun.of("data", "build", "maze", "--input", train.toString(), "--test-input", test.toString(), "--out", ds.toString());
        assertEquals(0, r.exitCode(), r.err());
        PuzzleDataset tr = PuzzleDataset.open(ds, "train"), te = PuzzleDataset.open(ds, "test");
        assertEquals(new DatasetMetadata(0, 0, 0, 6, 900, 1, 3, 1.0, 3, List.of("all")), tr.metadata());
        assertEquals(new DatasetMetadata(0, 0, 0, 6, 900, 1, 2, 1.0, 2, List.of("all")), te.metadata());
        assertEquals(List.of("<blank>"), tr.identifierNames());
        assertEquals(3, tr.examples());
        assertEquals(2, te.groups());
        Maze first = MazeCsv.read(train).get(0).maze();
        assertArrayEquals(first.question().toIntArray(), tr.inputs(0, 1));
        assertArrayEquals(first.answer().orElseThrow().toIntArray(), tr.labels(0, 1));
        for (String f : List.of("all__inputs.npy", "all__labels.npy")) {
            byte[] header = Files.readAllBytes(ds.resolve("train").resolve(f));
            assertTrue(new String(header, 0, 80).contains("'|u1'"), "uint8 tokens");
        }
    }

    @Test
    void augmentedBuildHasTheEightDihedralVersionsInOneGroup() {
        Path train = generate("train.csv", 2, 3);
        Path ds = tmp.resolve("ds");
        CliRun r = CliRun.of("data", "build", "maze", "--input", train.toString(), "--augment", "--out", ds.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertFalse(Files.exists(ds.resolve("test")), "no --test-input, no test split");
        PuzzleDataset d = PuzzleDataset.open(ds, "train");
        assertEquals(2, d.groups());
        assertEquals(16, d.puzzles());
        assertEquals(16, d.examples());
        assertEquals(2, d.metadata().totalPuzzles(), "total_puzzles is the group count (official quirk)");
        assertEquals(1.0, d.metadata().meanPuzzleExamples());
        assertEquals(8, d.groupEnd(0));
        Maze second = MazeCsv.read(train).get(1).maze();
        for (int t = 0; t < 8; t++) {
            assertEquals(0, d.puzzleIdentifier(8 + t));
            Grid q = Grid.of(30, 30, toBytes(d.inputs(8 + t, 1)));
            assertEquals(second.question(), Dihedral.ofId(t).inverse().apply(q));
        }
    }

    @Test
    void subsampleKeepsSeededMazesInFileOrder() {
        Path train = generate("train.csv", 6, 4);
        CliRun r = CliRun.of("data", "build", "maze", "--input", train.toString(), "--subsample", "3", "--seed", "5", "--out", tmp.resolve("ds").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(3, PuzzleDataset.open(tmp.resolve("ds"), "train").groups());
    }

    @Test
    void buildRejectsBadInputWithOneLineAndNoOutput() throws Exception {
        Path noAnswer = tmp.resolve("q.csv");
        Files.writeString(noAnswer, "source,question,answer,rating\nx,S  G,,0\n");
        expectBad(noAnswer, ":2: field 'answer': empty, but a dataset needs every maze's answer");
        Path mixed = tmp.resolve("mixed.csv");
        Files.writeString(mixed, "source,question,answer,rating\nx,SG  ,SG  ,0\ny,S G      ,SoG      ,0\n");
        expectBad(mixed, ":3: field 'question': maze is 3x3 but the dataset's mazes are 2x2 (seq_len 4)");
        Path badChar = tmp.resolve("bad.csv");
        Files.writeString(badChar, "source,question,answer,rating\nx,SX G,,0\n");
        expectBad(badChar, ":2: field 'question': question has bad character 'X' at row 0, column 1 (allowed: '#', ' ', 'S', 'G', 'o')");
    }

    /** Exit 2, stderr exactly "trm: FILE" + {@code afterFile}, and no output folder. */
    private void expectBad(Path input, String afterFile) {
        Path ds = tmp.resolve("never");
        CliRun r = CliRun.of("data", "build", "maze", "--input", input.toString(), "--out", ds.toString());
        assertEquals(2, r.exitCode());
        assertEquals("trm: " + input + afterFile + System.lineSeparator(), r.err());
        assertFalse(Files.exists(ds));
    }

    @Test
    void helpMentionsTheOfficialDefaultWithoutAugmentation() {
        CliRun r = CliRun.of("data", "build", "maze", "--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("WITHOUT augmentation"), r.out());
    }

    private static byte[] toBytes(int[] t) {
        byte[] b = new byte[t.length];
        for (int i = 0; i < t.length; i++) b[i] = (byte) t[i];
        return b;
    }
}
