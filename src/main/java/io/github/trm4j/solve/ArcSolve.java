package io.github.trm4j.solve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.trm4j.InputException;
import io.github.trm4j.data.ArcCanvas;
import io.github.trm4j.data.ArcPair;
import io.github.trm4j.data.ArcReader;
import io.github.trm4j.data.ArcTask;
import io.github.trm4j.data.Grid;
import io.github.trm4j.model.Checkpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code trm solve --arc}: an ARC model knows a task only through the puzzle-embedding row it
 * learned for it, so a task is solved only when the training set's {@code identifiers.json} names
 * it; anything else is refused with an explanation, never answered blindly. A known task's test
 * inputs run once, unaugmented, with the original version's identifier ({@code trm eval} votes
 * over the augmented versions as the paper does).
 */
final class ArcSolve {
    private ArcSolve() {}

    static SolvePuzzles.Result run(Solver solver, Path taskFile, Path identifiersFile, SolveOptions options, Board.Style style, PrintWriter out) {
        List<ArcTask> tasks = ArcReader.read(taskFile, false).tasks();
        Path ids = identifiersFile != null ? identifiersFile : besideDataset(solver);
        List<String> names = read(ids, solver);
        int solved = 0, right = 0;
        for (ArcTask task : tasks) {
            int id = names.indexOf(task.id());
            if (id < 0)
                throw new InputException("task '" + task.id() + "' is not among the " + (names.size() - 1) + " puzzles " + solver.loaded().file()
                        + " was trained on (" + ids + "). An ARC model knows a task only through the puzzle embedding it learned for it, "
                        + "so it cannot solve a new task; train or fine-tune it on a dataset that includes the task");
            for (int k = 0; k < task.test().size(); k++) {
                ArcPair pair = task.test().get(k);
                Solver.Run run = solver.infer(ints(ArcCanvas.encode(pair.input(), 0, 0)), id, options);
                int[] last = run.predictions()[run.steps() - 1];
                Optional<Grid> answer = ArcCanvas.crop(last);
                out.println();
                List<String> captions = new ArrayList<>(List.of("task " + task.id() + ", test " + (k + 1) + ": input", "answer"));
                List<List<String>> panels = new ArrayList<>(List.of(arc(pair.input(), style), answer.map(g -> arc(g, style)).orElse(List.of("(no grid)"))));
                if (pair.hasOutput()) {
                    captions.add("expected");
                    panels.add(arc(pair.output(), style));
                }
                Board.sideBySide(captions, panels, 3).forEach(out::println);
                out.printf(Locale.ROOT, "steps %d%s, confidence %.3f (sigmoid q_halt); one unaugmented pass (trm eval votes over augmentations)%n",
                        run.steps(), SolvePuzzles.stepsNote(solver, options), Solver.sigmoid(run.qHalt()[run.steps() - 1]));
                if (pair.hasOutput()) {
                    boolean ok = answer.isPresent() && answer.get().equals(pair.output());
                    out.println("check: " + (ok ? "matches the expected output" : "differs from the expected output"));
                    if (ok) right++;
                }
                solved++;
            }
        }
        return new SolvePuzzles.Result(solved, right, right);
    }

    /** identifiers.json of the dataset named in the checkpoint's provenance. */
    private static Path besideDataset(Solver solver) {
        String dataset = solver.loaded().provenance().get(Checkpoint.DATASET);
        if (dataset == null || dataset.isBlank())
            throw new InputException(solver.loaded().file() + " does not name the dataset it was trained on, so the model has no identifiers "
                    + "for ARC tasks: an ARC model knows a task only through its trained puzzle embedding. Pass --identifiers "
                    + "DATASET/identifiers.json of its training set");
        // trm4j records the dataset relative to the checkpoint's folder (older files: absolute)
        Path folder = solver.loaded().file().toAbsolutePath().getParent();
        return folder.resolve(dataset).normalize().resolve("identifiers.json");
    }

    private static List<String> read(Path ids, Solver solver) {
        if (!Files.isRegularFile(ids))
            throw new InputException(ids + ": no such file, so the model has no identifiers for ARC tasks (an ARC model knows a task only "
                    + "through its trained puzzle embedding); pass --identifiers DATASET/identifiers.json of its training set");
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(ids.toFile());
        } catch (IOException e) {
            throw new InputException(ids + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (root == null || !root.isArray()) throw new InputException(ids + ": expected a JSON array of puzzle names");
        List<String> names = new ArrayList<>();
        root.forEach(n -> names.add(n.asText()));
        int rows = solver.loaded().config().numPuzzleIdentifiers();
        if (names.size() != rows)
            throw new InputException(ids + ": " + names.size() + " names, but the model's puzzle table has " + rows
                    + " rows; these are not the identifiers of its training set");
        return names;
    }

    private static int[] ints(byte[] b) {
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) out[i] = b[i];
        return out;
    }

    /** An ARC grid: colour blocks, or the colour digits without colour. */
    static List<String> arc(Grid g, Board.Style style) {
        int[] ansi = {16, 26, 203, 41, 220, 248, 200, 208, 117, 88};
        List<String> lines = new ArrayList<>();
        for (int r = 0; r < g.height(); r++) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < g.width(); c++) {
                int v = g.get(r, c);
                sb.append(style.colour() ? "\033[48;5;" + ansi[v] + "m  \033[0m" : v + " ");
            }
            lines.add(sb.toString());
        }
        return lines;
    }
}
