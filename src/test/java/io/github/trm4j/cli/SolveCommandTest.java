package io.github.trm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.model.Backend;
import io.github.trm4j.model.Checkpoint;
import io.github.trm4j.model.ComputeDevice;
import io.github.trm4j.model.ModelConfig;
import io.github.trm4j.model.Safetensors;
import io.github.trm4j.model.TrmModel;
import io.github.trm4j.solve.ShippedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trm solve} on the shipped model and on tiny saved maze and ARC models: outputs and error exits. */
class SolveCommandTest {
    static final String EULER = "003020600900305001001806400008102900700000008006708200002609500800203009005010300";

    @TempDir static Path dir;
    static Path mazeModel;
    static Path arcModel;
    static Path arcData;

    @BeforeAll
    static void models() throws Exception {
        Backend.init();
        ModelConfig maze = new ModelConfig(32, 2, 2, 1, 1, 1, 3, 0.1, 0, 0, ModelConfig.PosEncoding.ROPE, 10000, 1e-5,
                ModelConfig.Mixer.ATTENTION, ModelConfig.ForwardDtype.FLOAT32, 6, 25, 1);
        mazeModel = save(maze, "maze.safetensors", null);
        arcData = Files.createDirectories(dir.resolve("arc-data"));
        Files.writeString(arcData.resolve("identifiers.json"), "[\"<blank>\", \"known01\", \"known01|||t1|||0123456789\"]");
        ModelConfig arc = new ModelConfig(32, 2, 2, 1, 1, 1, 2, 0.1, 32, 1, ModelConfig.PosEncoding.ROPE, 10000, 1e-5,
                ModelConfig.Mixer.ATTENTION, ModelConfig.ForwardDtype.FLOAT32, 12, 900, 3);
        arcModel = save(arc, "arc.safetensors", arcData.toString());
    }

    private static Path save(ModelConfig c, String name, String dataset) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(Checkpoint.CONFIG, c.toJson());
        if (dataset != null) meta.put(Checkpoint.DATASET, dataset);
        Path file = dir.resolve(name);
        Safetensors.write(file, TrmModel.initialise(c, 3, ComputeDevice.CPU).state(), meta, false);
        return file;
    }

    @Test
    void sudokuWithTrace() {
        CliRun r = CliRun.of("solve", "--sudoku", EULER.replace('0', '.'), "--trace", "--no-color");
        assertEquals(0, r.exitCode(), r.err());
        String out = r.out();
        assertTrue(out.startsWith("model: shipped-sudoku ("), out);
        assertTrue(out.contains("steps 8 of 8, confidence 0."), out);
        assertTrue(out.contains("\ncheck: "), out);
        assertTrue(out.contains("\nexact solver: "), out);
        assertTrue(out.contains("trace: the grid after every supervision step, cells changed by the step in [brackets]"), out);
        for (int s = 1; s <= 8; s++) assertTrue(out.contains("step " + s + ": q_halt "), "step " + s);
        assertTrue(!out.contains("\033["), "no colour when not a terminal");
        assertTrue(out.contains(" .  .  3 │ .  2  . │ 6  .  .") || out.contains(" .  .  3 | .  2  . | 6  .  ."), out);
    }

    @Test
    void sudokuFileAndAdaptive() throws Exception {
        Path f = Files.writeString(dir.resolve("two.txt"), "# two puzzles\n" + EULER + "\n" + EULER.replace('3', '.') + "\n");
        CliRun r = CliRun.of("solve", "--sudoku-file", f.toString(), "--adaptive", "--steps", "4", "--no-color");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("puzzle 1 (line 2)"), r.out());
        assertTrue(r.out().contains("puzzle 2 (line 3)"), r.out());
        assertTrue(r.out().contains("(adaptive, at most 4)"), r.out());
        assertTrue(r.out().matches("(?s).*\n2 puzzles: \\d valid, \\d invalid; \\d agree with the exact solver\n"), r.out());
    }

    @Test
    void badSudokuNamesTheField() {
        CliRun r = CliRun.of("solve", "--sudoku", "123");
        assertEquals(2, r.exitCode());
        assertEquals("trm: --sudoku: expected 81 characters ('1'-'9', '.' or '0' for blanks), got 3\n", r.err());
        r = CliRun.of("solve", "--sudoku", "0030x0600" + EULER.substring(9));
        assertEquals(2, r.exitCode());
        assertEquals("trm: --sudoku: character 5 (row 1, column 5) is 'x', not a digit 1-9, '.' or '0'\n", r.err());
        r = CliRun.of("solve", "--sudoku", "3" + EULER.substring(1));
        assertEquals("trm: --sudoku: the givens already break the rules: row 1 has two 3s\n", r.err());
    }

    @Test
    void badFilesAreOneLine() throws Exception {
        CliRun r = CliRun.of("solve", "--sudoku-file", dir.resolve("nope.txt").toString());
        assertEquals(2, r.exitCode());
        assertEquals("trm: " + dir.resolve("nope.txt") + ": no such file\n", r.err());
        Path bad = Files.writeString(dir.resolve("bad.txt"), EULER + "\n" + EULER.substring(2) + "\n");
        r = CliRun.of("solve", "--sudoku-file", bad.toString());
        assertEquals(2, r.exitCode());
        assertEquals("trm: " + bad + ":2: expected 81 characters, got 79\n", r.err());
        r = CliRun.of("solve", "--checkpoint", dir.resolve("none.safetensors").toString(), "--sudoku", EULER);
        assertEquals(2, r.exitCode());
        assertEquals("trm: " + dir.resolve("none.safetensors") + ": no such file\n", r.err());
        r = CliRun.of("solve", "--sudoku", EULER, "--maze", "x.txt");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("mutually exclusive"), r.err());
    }

    @Test
    void mazeWithAMazeModel() throws Exception {
        Path maze = Files.writeString(dir.resolve("maze.txt"), "S  ##\n## ##\n##   \n#### \n####G\n");
        CliRun r = CliRun.of("solve", "--checkpoint", mazeModel.toString(), "--maze", maze.toString(), "--trace", "--no-color");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("steps 3 of 3"), r.out());
        assertTrue(r.out().contains("\ncheck: "), r.out());
        assertTrue(r.out().contains("step 3: q_halt "), r.out());

        Path ragged = Files.writeString(dir.resolve("ragged.txt"), "S  ##\n## #\n##   \n#### \n####G\n");
        r = CliRun.of("solve", "--checkpoint", mazeModel.toString(), "--maze", ragged.toString());
        assertEquals(2, r.exitCode());
        assertEquals("trm: " + ragged + ":2: expected 5 characters (a square maze of 5 rows), got 4\n", r.err());

        r = CliRun.of("solve", "--checkpoint", ShippedModel.SUDOKU.path().toString(), "--maze", maze.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().matches("trm: .*models/sudoku/model.safetensors is a sudoku model \\(vocab 11, 81 cells\\): it cannot solve a maze; "
                + "pass --checkpoint with a maze model\n"), r.err());
    }

    @Test
    void mazeWithTheShippedMazeModel() throws Exception {
        Path csv = Path.of("src/test/resources/fixtures/maze/known-11x11.csv");
        CliRun r = CliRun.of("solve", "--maze", csv.toString(), "--no-color");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("model: shipped-maze (" + ShippedModel.MAZE.path() + ", step "), r.out());
        assertTrue(r.out().contains("; maze, D "), r.out());
        for (int line = 2; line <= 4; line++) assertTrue(r.out().contains("puzzle " + (line - 1) + " (line " + line + ")"), r.out());
        assertTrue(r.out().contains("\ncheck: valid (") || r.out().contains("\ncheck: INVALID ("), r.out());
        assertTrue(r.out().matches("(?s).*\n3 puzzles: \\d valid, \\d invalid\n"), r.out());

        // a maze of another size than the model's (11x11, from its seq_len 121) is refused before any is solved
        Path small = Files.writeString(dir.resolve("small.txt"), "S  ##\n## ##\n##   \n#### \n####G\n");
        r = CliRun.of("solve", "--maze", small.toString());
        assertEquals(2, r.exitCode());
        assertEquals("trm: " + small + ": a 5x5 maze, but the model solves 11x11 mazes (seq_len 121)\n", r.err());
        assertTrue(!r.out().contains("steps "), r.out());
    }

    @Test
    void arcNeedsATaskTheModelWasTrainedOn() throws Exception {
        String grid = "{\"train\": [{\"input\": [[1, 2], [3, 4]], \"output\": [[4, 3], [2, 1]]}], \"test\": [{\"input\": [[5, 6], [7, 8]], \"output\": [[8, 7], [6, 5]]}]}";
        Path unknown = Files.writeString(dir.resolve("fresh99.json"), grid);
        Path known = Files.writeString(dir.resolve("known01.json"), grid);

        CliRun r = CliRun.of("solve", "--arc", unknown.toString());
        assertEquals(2, r.exitCode());
        assertEquals("trm: trm4j ships no ARC model. An ARC model knows a task only through the puzzle embedding it learned for that task "
                + "in training; pass --checkpoint with an ARC checkpoint trained on this task\n", r.err());
        r = CliRun.of("solve", "--checkpoint", ShippedModel.SUDOKU.path().toString(), "--arc", unknown.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("is a sudoku model (vocab 11, 81 cells): it cannot solve ARC tasks. An ARC model knows a task only "
                + "through the puzzle embedding it learned for that task in training"), r.err());

        r = CliRun.of("solve", "--checkpoint", arcModel.toString(), "--arc", unknown.toString());
        assertEquals(2, r.exitCode());
        assertEquals("trm: task 'fresh99' is not among the 2 puzzles " + arcModel + " was trained on (" + arcData.resolve("identifiers.json")
                + "). An ARC model knows a task only through the puzzle embedding it learned for it, so it cannot solve a new task; "
                + "train or fine-tune it on a dataset that includes the task\n", r.err());

        r = CliRun.of("solve", "--checkpoint", arcModel.toString(), "--arc", known.toString(), "--no-color");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("task known01, test 1: input"), r.out());
        assertTrue(r.out().contains("one unaugmented pass"), r.out());
        assertTrue(r.out().contains("check: "), r.out());

        Path wrongIds = Files.writeString(dir.resolve("ids.json"), "[\"<blank>\", \"known01\"]");
        r = CliRun.of("solve", "--checkpoint", arcModel.toString(), "--arc", known.toString(), "--identifiers", wrongIds.toString());
        assertEquals(2, r.exitCode());
        assertEquals("trm: " + wrongIds + ": 2 names, but the model's puzzle table has 3 rows; these are not the identifiers of its training set\n", r.err());
    }
}
