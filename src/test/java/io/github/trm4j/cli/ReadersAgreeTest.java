package io.github.trm4j.cli;

import static io.github.trm4j.cli.ShowCommandTest.SUDOKU_A;
import static io.github.trm4j.cli.ShowCommandTest.SUDOKU_Q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code data show} and {@code data build} read each puzzle format with the same reader: every
 * file that one accepts the other accepts, and every file one refuses the other refuses with the
 * same line.
 */
class ReadersAgreeTest {
    private static final String HEADER = "source,question,answer,rating\n";
    private static final String MAZE_Q = "S G      ", MAZE_A = "SoG      ";

    @TempDir
    static Path dir;

    private static DynamicTest agree(String kind, String name, String content, boolean accepted) {
        return dynamicTest(kind + " " + name, () -> {
            Path f = Files.createDirectories(dir.resolve(kind)).resolve(name);
            Files.writeString(f, content);
            CliRun show = CliRun.of("data", "show", f.toString(), "--no-color");
            CliRun build = CliRun.of("data", "build", kind, "--input", f.toString(), "--out", f.resolveSibling(name + ".out").toString());
            assertEquals(accepted ? 0 : 2, show.exitCode(), "show: " + show.err());
            assertEquals(accepted ? 0 : 2, build.exitCode(), "build: " + build.err());
            if (!accepted) assertEquals(show.err(), build.err());
        });
    }

    @TestFactory
    Stream<DynamicTest> sudokuFiles() {
        String row = "t," + SUDOKU_Q + "," + SUDOKU_A + ",0\n";
        return Stream.of(
                agree("sudoku", "ok.csv", HEADER + row, true),
                agree("sudoku", "bom.csv", "\uFEFF" + HEADER + row, true),
                agree("sudoku", "crlf.csv", (HEADER + row).replace("\n", "\r\n"), true),
                agree("sudoku", "quoted.csv", HEADER + "\"t\",\"" + SUDOKU_Q + "\",\"" + SUDOKU_A + "\",\"0\"\n", true),
                agree("sudoku", "wrong-answer.csv", HEADER + "t," + SUDOKU_Q + "," + SUDOKU_A.replace('4', '5') + ",0\n", false),
                agree("sudoku", "three-fields.csv", HEADER + "t," + SUDOKU_Q + "," + SUDOKU_A + "\n", false),
                agree("sudoku", "five-fields.csv", HEADER + row.strip() + ",x\n", false),
                agree("sudoku", "short-header.csv", "source,question,answer\n" + row, false),
                agree("sudoku", "bad-char.csv", HEADER + row.replaceFirst("4", "x"), false),
                agree("sudoku", "answer-zero.csv", HEADER + "t," + SUDOKU_Q + "," + SUDOKU_A.replaceFirst("4", "0") + ",0\n", false),
                agree("sudoku", "bad-rating.csv", HEADER + "t," + SUDOKU_Q + "," + SUDOKU_A + ",high\n", false),
                agree("sudoku", "lines.txt", "# comment\n\n" + SUDOKU_Q + "\r\n", true),
                agree("sudoku", "bom-lines.txt", "\uFEFF" + SUDOKU_Q + "\n", true),
                agree("sudoku", "short-line.txt", SUDOKU_Q.substring(1) + "\n", false),
                agree("sudoku", "ansi-line.txt", SUDOKU_Q.substring(2) + "\u001b[" + "\n", false));
    }

    @TestFactory
    Stream<DynamicTest> mazeFiles() {
        String row = "x," + MAZE_Q + "," + MAZE_A + ",2\n";
        return Stream.of(
                agree("maze", "ok.csv", HEADER + row, true),
                agree("maze", "bom.csv", "\uFEFF" + HEADER + row, true),
                agree("maze", "crlf.csv", (HEADER + row).replace("\n", "\r\n"), true),
                agree("maze", "wrong-answer.csv", HEADER + "x," + MAZE_Q + ",So G     ,2\n", false),
                agree("maze", "three-fields.csv", HEADER + "x," + MAZE_Q + "," + MAZE_A + "\n", false),
                agree("maze", "header.csv", "source,question,answer,score\n" + row, false),
                agree("maze", "not-square.csv", HEADER + "x,S G     ,,2\n", false));
    }

    @Test
    void datasetJsonNumbersAreNotTruncated() throws Exception {
        Path csv = Files.createDirectories(dir.resolve("json")).resolve("m.csv");
        Files.writeString(csv, HEADER + "x," + MAZE_Q + "," + MAZE_A + ",2\n");
        Path ds = dir.resolve("json/ds");
        assertEquals(0, CliRun.of("data", "build", "maze", "--input", csv.toString(), "--out", ds.toString()).exitCode());
        Path json = ds.resolve("train/dataset.json");
        String text = Files.readString(json);
        Files.writeString(json, text.replaceFirst("\"vocab_size\" : \\d+", "\"vocab_size\" : 11.7"));
        CliRun r = CliRun.of("data", "show", ds.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertEquals("trm: " + json + ": field 'vocab_size': Cannot coerce Floating-point value (11.7) to `int` value",
                r.err().strip());
    }
}
