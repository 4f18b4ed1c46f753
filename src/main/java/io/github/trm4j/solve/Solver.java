package io.github.trm4j.solve;

import io.github.trm4j.InputException;
import io.github.trm4j.model.Batch;
import io.github.trm4j.model.Inference;
import io.github.trm4j.model.ModelConfig;
import io.github.trm4j.model.Ops;
import io.github.trm4j.model.Supervision;
import io.github.trm4j.model.TrmModel;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The one inference path for single puzzles (CLI, demo, web): text in, the model's answer with every
 * supervision step, its confidence and a rule check out.
 *
 * <p>Thread-safe: {@link #solve} may run on several threads at once. The weights are only read,
 * each call runs without gradients in its own {@code PointerScope} (both are per thread).
 *
 * <pre>{@code
 * Solver solver = ShippedModel.SUDOKU.solver(null);
 * Solution s = solver.solve(PuzzleKind.SUDOKU, "4.....8.5.3...", SolveOptions.defaults());
 * }</pre>
 */
public final class Solver {
    /** The most candidates (trajectories × copies) one solve may ask for. */
    public static final int MAX_CANDIDATES = 1024;

    private final ModelLoader.Loaded loaded;
    private final String name;
    private final PuzzleKind kind;

    private Solver(ModelLoader.Loaded loaded, String name, PuzzleKind kind) {
        this.loaded = loaded;
        this.name = name;
        this.kind = kind;
    }

    /** A solver for {@code loaded}; {@code name} is shown in outputs. An InputException if the model is no known kind. */
    public static Solver of(ModelLoader.Loaded loaded, String name) {
        return new Solver(loaded, name, kindOf(loaded.config(), loaded.file().toString()));
    }

    /** What the model solves, from its vocabulary and sequence length. */
    public PuzzleKind kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    public ModelLoader.Loaded loaded() {
        return loaded;
    }

    /**
     * Solves one puzzle: Sudoku as 81 characters ('.' or '0' blank), maze as the row-major grid over
     * "# SG". Bad puzzles, a kind the model does not solve, or bad steps are an {@link InputException}
     * naming the field ({@code kind}, {@code puzzle}, {@code steps}).
     */
    public Solution solve(PuzzleKind kind, String puzzle, SolveOptions options) {
        return solve(kind, puzzle, options, "puzzle");
    }

    /** As {@link #solve(PuzzleKind, String, SolveOptions)}, with the puzzle's field named {@code field} in errors. */
    Solution solve(PuzzleKind kind, String puzzle, SolveOptions options, String field) {
        if (kind == null) throw new InputException("kind: missing (sudoku or maze)");
        if (kind != this.kind)
            throw new InputException("kind: model '" + name + "' solves " + this.kind.label() + " puzzles, not " + kind.label());
        long start = System.nanoTime();
        String input;
        int[] tokens;
        switch (kind) {
            case SUDOKU -> {
                input = PuzzleText.sudokuDigits(puzzle, field);
                tokens = PuzzleText.sudokuTokens(input);
            }
            case MAZE -> {
                input = PuzzleText.maze(puzzle, loaded.config().seqLen(), field);
                tokens = PuzzleText.mazeTokens(input);
            }
            default -> throw new InputException("kind: an ARC task is solved from its task file (trm solve --arc TASK.json), "
                    + "since the model knows a task only through its trained puzzle embedding");
        }
        if (options.thinking().active()) return think(kind, input, tokens, options, start);
        Run run = infer(tokens, 0, options);
        List<StepView> trace = new ArrayList<>(run.steps());
        String previous = input;
        for (int s = 0; s < run.steps(); s++) {
            String grid = kind == PuzzleKind.SUDOKU ? PuzzleText.sudokuOf(run.predictions()[s]) : PuzzleText.mazeOf(run.predictions()[s]);
            trace.add(new StepView(s + 1, grid, run.qHalt()[s], changed(previous, grid)));
            previous = grid;
        }
        String answer = trace.get(trace.size() - 1).grid();
        Check check = kind == PuzzleKind.SUDOKU ? Checks.sudoku(input, answer) : Checks.maze(input, answer);
        return new Solution(answer, check, run.steps(), sigmoid(run.qHalt()[run.steps() - 1]), trace,
                (System.nanoTime() - start) / 1_000_000, name);
    }

    /** The puzzle as K₁·K₂ candidates in one batch; the answer, trace and confidence are the winner's. */
    private Solution think(PuzzleKind kind, String input, int[] tokens, SolveOptions options, long start) {
        Thinking t = options.thinking();
        if (t.candidates() > MAX_CANDIDATES)
            throw new InputException("trajectories: trajectories × augment must be at most " + MAX_CANDIDATES + ", got " + t.candidates());
        int steps = steps(options);
        Ensemble.Candidates c;
        try (PointerScope scope = new PointerScope()) {
            c = Ensemble.run(loaded.model(), kind, new int[][] {tokens}, new int[1], t, steps, options.adaptive(), true, null).get(0);
        }
        int w = c.winner();
        List<StepView> trace = new ArrayList<>(c.stepsUsed());
        String previous = input;
        for (int s = 0; s < c.stepsUsed(); s++) {
            int[] p = c.history().get(s)[w];
            String grid = kind == PuzzleKind.SUDOKU ? PuzzleText.sudokuOf(p) : PuzzleText.mazeOf(p);
            trace.add(new StepView(s + 1, grid, c.qHistory().get(s)[w], changed(previous, grid)));
            previous = grid;
        }
        String answer = trace.get(trace.size() - 1).grid();
        Check check = kind == PuzzleKind.SUDOKU ? Checks.sudoku(input, answer) : Checks.maze(input, answer);
        List<double[]> curves = new ArrayList<>();
        for (int k = 0; k < t.candidates(); k++) {
            double[] q = new double[c.stepsUsed()];
            for (int s = 0; s < q.length; s++) q[s] = c.qHistory().get(s)[k];
            curves.add(q);
        }
        int valid = 0;
        for (boolean v : c.valid()) if (v) valid++;
        String symmetry = Symmetry.of(kind, t.augment(), tokens.length, t.seed()).get(w / t.trajectories()).describe();
        Thought thought = new Thought(t.select().label(), t.trajectories(), t.augment(), t.noise(), w, w % t.trajectories(), symmetry,
                c.agree(), valid, (long) t.candidates() * c.stepsUsed() * Ensemble.netCallsPerStep(loaded.config()), curves);
        return new Solution(answer, check, c.stepsUsed(), sigmoid(c.qHalt()[w]), trace, (System.nanoTime() - start) / 1_000_000, name, thought);
    }

    private int steps(SolveOptions options) {
        int steps = options.steps().orElse(loaded.config().supervisionSteps());
        ModelConfig.checkSteps("steps", steps);
        return steps;
    }

    /**
     * The model's raw run on one sequence: {@code predictions[s]} are the argmax tokens after step
     * s + 1, {@code qHalt[s]} its halting logit; {@code steps} is how many steps ran (the step used).
     */
    record Run(int[][] predictions, double[] qHalt, int steps) {}

    /** Runs the supervision steps on one sequence of tokens with puzzle identifier {@code puzzleId}. */
    Run infer(int[] tokens, int puzzleId, SolveOptions options) {
        TrmModel model = loaded.model();
        int steps = steps(options);
        List<int[]> predictions = new ArrayList<>();
        List<Double> qHalt = new ArrayList<>();
        try (PointerScope scope = new PointerScope()) {
            Supervision sup = options.adaptive() ? model.adaptive(steps) : model.evaluation(steps);
            Batch batch = new Batch(Tensor.create(tokens, 1, tokens.length).to(ScalarType.Long), null,
                    Tensor.create(new int[] {puzzleId}, 1).to(ScalarType.Long));
            Inference result = sup.run(batch, step -> {
                float[] p = Ops.toFloats(step.logits().argmax(new LongOptional(-1), false));
                int[] row = new int[p.length];
                for (int i = 0; i < p.length; i++) row[i] = (int) p[i];
                predictions.add(row);
                qHalt.add((double) Ops.toFloats(step.qHalt())[0]);
            });
            int used = (int) Ops.toFloats(result.steps())[0];
            if (used != predictions.size())
                throw new IllegalStateException("supervision stopped at step " + used + " but ran " + predictions.size());
        }
        return new Run(predictions.toArray(int[][]::new), qHalt.stream().mapToDouble(Double::doubleValue).toArray(), predictions.size());
    }

    /** Cell indices where {@code b} differs from {@code a}. */
    static int[] changed(String a, String b) {
        int n = 0;
        int[] out = new int[b.length()];
        for (int i = 0; i < b.length(); i++) if (a.charAt(i) != b.charAt(i)) out[n++] = i;
        return java.util.Arrays.copyOf(out, n);
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    static PuzzleKind kindOf(ModelConfig c, String where) {
        int v = c.vocabSize(), s = c.seqLen();
        int side = (int) Math.round(Math.sqrt(s));
        if (v == 11 && s == 81) return PuzzleKind.SUDOKU;
        if (v == 6 && side * side == s) return PuzzleKind.MAZE;
        if (v == 12 && s == 900) return PuzzleKind.ARC;
        throw new InputException(where + ": a model with vocab_size " + v + " and seq_len " + s
                + " is neither a Sudoku (11, 81), maze (6, side*side) nor ARC (12, 900) model");
    }
}
