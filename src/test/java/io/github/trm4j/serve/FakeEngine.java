package io.github.trm4j.serve;

import io.github.trm4j.solve.Check;
import io.github.trm4j.solve.PuzzleKind;
import io.github.trm4j.solve.Solution;
import io.github.trm4j.solve.SolveOptions;
import io.github.trm4j.solve.StepView;
import java.util.ArrayList;
import java.util.List;

/**
 * A model stand-in for API tests: answers a Sudoku with the exact solution after {@code steps} steps
 * (step 1 from the input with blanks as 1s), after running {@code before} (sleep, wait on a latch, throw).
 */
final class FakeEngine implements Engine {
    /** Solved by the exact solver: the first row of the trace tests. */
    static final String PUZZLE = "53..7....6..195....98....6.8...6...34..8.3..17...2...6.6....28....419..5....8..79";
    static final String ANSWER = "534678912672195348198342567859761423426853791713924856961537284287419635345286179";

    interface Before {
        void run() throws Exception;
    }

    private final String name;
    private final Before before;

    FakeEngine(String name, Before before) {
        this.name = name;
        this.before = before;
    }

    static FakeEngine instant() {
        return new FakeEngine("fake", () -> {});
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public PuzzleKind kind() {
        return PuzzleKind.SUDOKU;
    }

    @Override
    public int cells() {
        return 81;
    }

    @Override
    public Models.Info info() {
        // Provenance as a real checkpoint records it, with the trainer's absolute paths.
        return new Models.Info(name, "sudoku", 81, "/home/alice/runs/fake.safetensors", null,
                java.util.Map.of("source", "trm train, run /home/alice/runs/x (EMA weights)", "dataset", "/srv/data/sudoku-extreme/"));
    }

    @Override
    public Solution solve(PuzzleKind kind, String puzzle, SolveOptions options) {
        try {
            before.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        int steps = options.steps().orElse(4);
        List<StepView> trace = new ArrayList<>();
        String first = puzzle.replace('.', '1').replace('0', '1');
        String previous = puzzle;
        for (int s = 1; s <= steps; s++) {
            String grid = s == 1 ? first : ANSWER;
            trace.add(new StepView(s, grid, -2.0 + s, changed(previous, grid)));
            previous = grid;
        }
        return new Solution(previous, new Check(previous.equals(ANSWER), "fake check"), steps, 1 / (1 + Math.exp(2.0 - steps)), trace, 1, name);
    }

    private static int[] changed(String a, String b) {
        return java.util.stream.IntStream.range(0, b.length()).filter(i -> a.charAt(i) != b.charAt(i)).toArray();
    }
}
