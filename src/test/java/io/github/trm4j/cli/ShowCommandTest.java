package io.github.trm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.data.DataShow;
import io.github.trm4j.data.DatasetMetadata;
import io.github.trm4j.data.DatasetWriter;
import io.github.trm4j.data.NpyType;
import io.github.trm4j.data.SplitWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShowCommandTest {
    static final String SUDOKU_Q = "4...3.......6..8..........1....5..9..8....6...7.2........1.27..5.3....4.9........";
    static final String SUDOKU_A = "468931527751624839392578461134756298289413675675289314846192753513867942927345186";

    @TempDir Path tmp;

    /** One split "train" with one example per puzzle and group; identifiers as given. */
    Path dataset(String name, int vocab, int seqLen, int[][] inputs, int[][] labels, int[] ids, List<String> names) {
        Path out = tmp.resolve(name);
        try (DatasetWriter w = DatasetWriter.create(out, false)) {
            SplitWriter.Counts c;
            try (SplitWriter s = w.split("train", NpyType.UINT8, seqLen)) {
                for (int i = 0; i < inputs.length; i++) {
                    s.addExample(inputs[i], labels[i]);
                    s.endPuzzle(ids[i]);
                    s.endGroup();
                }
                c = s.counts();
            }
            w.writeMetadata("train", new DatasetMetadata(0, 0, 0, vocab, seqLen, names.size(), c.groups(), 1.0, c.puzzles(), List.of("all")));
            w.writeIdentifiers(names);
            return w.commit();
        }
    }

    static CliRun show(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "data";
        all[1] = "show";
        System.arraycopy(args, 0, all, 2, args.length);
        return CliRun.of(all);
    }

    @Test
    void mazeDatasetShowsInputAndLabelWithThePath() throws Exception {
        Path csv = tmp.resolve("m.csv");
        // 3x3, S at (0,0), G at (0,2), 2 moves via (0,1).
        Files.writeString(csv, "source,question,answer,rating\nx,S G      ,SoG      ,2\n");
        Path ds = tmp.resolve("ds");
        assertEquals(0, CliRun.of("data", "build", "maze", "--input", csv.toString(), "--out", ds.toString()).exitCode());
        CliRun r = show(ds.toString(), "--no-color");
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("train example 0 of 1, puzzle 0, identifier 0 (<blank>), group 0", lines.get(0));
        assertTrue(lines.get(1).startsWith("input") && lines.get(1).contains("label"), lines.get(1));
        assertEquals("S   G    S ░░G", lines.get(2));
        assertFalse(r.out().contains("\033"), "--no-color");
        assertTrue(r.err().contains("maze dataset: 1 of 1 examples shown"), r.err());
        CliRun pipe = show(ds.toString());
        assertFalse(pipe.out().contains("\033"), "no colours into a pipe or file");
        java.io.StringWriter colour = new java.io.StringWriter();
        DataShow.show(new DataShow.Options(ds, "train", 0, 1, DataShow.Color.ANSI256, true), new java.io.PrintWriter(colour));
        assertTrue(colour.toString().contains("\033[48;"), "ANSI backgrounds on a terminal");
    }

    @Test
    void sudokuDatasetIsDrawnAsABoardFromTokens() {
        int[] in = new int[81], lab = new int[81];
        for (int i = 0; i < 81; i++) {
            in[i] = SUDOKU_Q.charAt(i) == '.' ? 1 : SUDOKU_Q.charAt(i) - '0' + 1; // token = digit + 1, blank 1
            lab[i] = SUDOKU_A.charAt(i) - '0' + 1;
        }
        Path ds = dataset("sudoku", 11, 81, new int[][] {in}, new int[][] {lab}, new int[] {0}, List.of("<blank>"));
        CliRun r = show(ds.toString(), "--no-color");
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("4 . . │ . 3 . │ . . .   4 6 8 │ 9 3 1 │ 5 2 7", lines.get(2));
        assertEquals("──────┼───────┼──────   ──────┼───────┼──────", lines.get(5));
        assertTrue(r.err().startsWith("sudoku dataset"), r.err());
    }

    @Test
    void arcDatasetCropsTheCanvasAndNamesTheIdentifier() {
        // [[1,2,3],[4,5,6]] placed at (2,3) on the 30x30 canvas: colour c -> c + 2, EOS 1 below and right.
        int[] canvas = new int[900];
        int[][] g = {{1, 2, 3}, {4, 5, 6}};
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 3; c++) canvas[(2 + r) * 30 + 3 + c] = g[r][c] + 2;
            canvas[(2 + r) * 30 + 6] = 1;
        }
        for (int c = 0; c < 3; c++) canvas[4 * 30 + 3 + c] = 1;
        Path ds = dataset("arc", 12, 900, new int[][] {canvas, canvas}, new int[][] {canvas, new int[900]}, new int[] {1, 2},
                List.of("<blank>", "abc", "abc|||t1|||0123456789"));
        CliRun r = show(ds.toString(), "--no-color", "--index", "1");
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("train example 1 of 2, puzzle 1, identifier 2 (abc|||t1|||0123456789), group 1", lines.get(0));
        assertEquals("input (2x3 at 2,3)   label", lines.get(1));
        assertEquals("1 2 3                (empty)", lines.get(2));
        assertEquals("4 5 6", lines.get(3));
        CliRun all = show(ds.toString(), "--count", "5");
        assertTrue(all.err().contains("ARC dataset: 2 of 2 examples shown"), all.err());
        java.io.StringWriter colour = new java.io.StringWriter();
        DataShow.show(new DataShow.Options(ds, "train", 0, 2, DataShow.Color.ANSI256, true), new java.io.PrintWriter(colour));
        assertTrue(colour.toString().contains("m  \033[0m"), "colour blocks");
    }

    @Test
    void otherDatasetsPrintTokens() {
        Path ds = dataset("tok", 5, 6, new int[][] {{1, 2, 3, 4, 0, 1}}, new int[][] {{4, 4, 4, 4, 4, 4}}, new int[] {0}, List.of("<blank>"));
        CliRun r = show(ds.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("1 2 3   4 4 4", lines.get(2));
        assertEquals("4 0 1   4 4 4", lines.get(3));
    }

    @Test
    void puzzleFilesAreRecognised() throws Exception {
        Path sudokuCsv = tmp.resolve("s.csv");
        Files.writeString(sudokuCsv, "source,question,answer,rating\nt," + SUDOKU_Q + "," + SUDOKU_A + ",0\n");
        CliRun csv = show(sudokuCsv.toString(), "--no-color");
        assertEquals(0, csv.exitCode(), csv.err());
        assertTrue(csv.out().contains("4 . . │ . 3 . │ . . .   4 6 8 │ 9 3 1 │ 5 2 7"), csv.out());

        Path lines = tmp.resolve("s.txt");
        Files.writeString(lines, "# comment\r\n" + SUDOKU_Q + "\r\n" + SUDOKU_Q.replace('.', '0') + "\r\n");
        CliRun txt = show(lines.toString(), "--index", "1", "--count", "9");
        assertEquals(0, txt.exitCode(), txt.err());
        assertTrue(txt.out().startsWith("sudoku 1 (line 3)"), txt.out());
        assertTrue(txt.err().contains("sudoku lines: 1 of 2"), txt.err());

        Path maze = tmp.resolve("m.csv");
        Files.writeString(maze, "source,question,answer,rating\nx,S G      ,SoG      ,2\n");
        CliRun m = show(maze.toString(), "--no-color");
        assertEquals(0, m.exitCode(), m.err());
        assertTrue(m.out().contains("S   G      S ░░G"), m.out()); // caption "question" is wider than the grid

        Path arc = tmp.resolve("task.json");
        Files.writeString(arc, "{\"train\": [{\"input\": [[0, 1], [2, 3]], \"output\": [[4]]}], \"test\": [{\"input\": [[9]]}]}");
        CliRun a = show(arc.toString(), "--no-color", "--count", "2");
        assertEquals(0, a.exitCode(), a.err());
        assertEquals(List.of("ARC task task.json, train[0]", "input (2x2)   output (1x1)", "0 1           4", "2 3", "",
                "ARC task task.json, test[0]", "input (1x1)", "9", ""), a.out().lines().toList());
    }

    @Test
    void realArcTaskFromSharedData() {
        Path shared = Files.isDirectory(Path.of("..", "shared")) ? Path.of("..", "shared") : Path.of("/work/shared");
        Path task = shared.resolve("data/arc-agi-1/training/007bbfb7.json");
        CliRun r = show(task.toString(), "--no-color");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("input (3x3)   output (9x9)"), r.out());
        assertTrue(r.err().contains("ARC task: 1 of 6"), r.err());
    }

    @Test
    void badInputIsOneLineAndExitCode2() throws Exception {
        bad(tmp.resolve("nothing"), null, ": no such file or folder");
        bad(write("rows.json", "{\"train\": [{\"input\": [[1, 2], [3]]}]}"), null, ": field 'train[0].input' row 1 has 1 cells, row 0 has 2");
        bad(write("colour.json", "{\"train\": [{\"input\": [[1, 10]]}]}"), null, ": field 'train[0].input' cell (0,1) is 10, not a colour 0..9");
        bad(write("big.json", "{\"train\": [{\"input\": " + "[[0]".concat(",[0]".repeat(30)) + "]}]}"), null,
                ": field 'train[0].input' has 31 rows; ARC grids are at most 30x30");
        bad(write("broken.json", "{\"train\": [{\"input\": [[1"), null, ": not valid JSON");
        bad(write("list.json", "[1, 2]"), null, ": expected an ARC task object");
        bad(write("short.txt", SUDOKU_Q.substring(1) + "\n"), null, ":1: expected 81 characters, got 80");
        bad(write("char.txt", "# c\n" + SUDOKU_Q.replace('4', 'x') + "\n"), null, ":2: character 1 'x' is not a digit 1-9, '.' or '0'");
        bad(write("answer.csv", "source,question,answer,rating\nt," + SUDOKU_Q + "," + SUDOKU_A.substring(2) + ",0\n"), null,
                ":2: answer: expected 81 characters, got 79");
        bad(write("maze.csv", "source,question,answer,rating\nx,S G      ,So G     ,2\n"), null,
                ":2: field 'answer': answer differs from question at row 0, column 2: 'G' became ' '");
        Path ds = tmp.resolve("ds");
        Path csv = write("ok.csv", "source,question,answer,rating\nx,S G      ,SoG      ,2\n");
        assertEquals(0, CliRun.of("data", "build", "maze", "--input", csv.toString(), "--out", ds.toString()).exitCode());
        bad(ds, "--index=5", ": --index 5 is past the end (1 examples in split train)");
        bad(ds, "--split=test", ": no 'test' split folder (expected " + ds.resolve("test") + ")");
        CliRun split = show(ds.toString(), "--split", "dev");
        assertEquals(2, split.exitCode());
        assertEquals("trm: --split must be train or test, got 'dev'" + System.lineSeparator(), split.err());
    }

    private Path write(String name, String content) throws Exception {
        Path f = tmp.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    private static void bad(Path path, String option, String afterPath) {
        CliRun r = option == null ? show(path.toString()) : show(path.toString(), option);
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("trm: " + path + afterPath), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }
}
