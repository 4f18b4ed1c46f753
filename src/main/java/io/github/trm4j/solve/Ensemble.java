package io.github.trm4j.solve;

import io.github.trm4j.model.Batch;
import io.github.trm4j.model.Carry;
import io.github.trm4j.model.ModelConfig;
import io.github.trm4j.model.Noise;
import io.github.trm4j.model.Ops;
import io.github.trm4j.model.StepOutput;
import io.github.trm4j.model.Supervision;
import io.github.trm4j.model.TrmModel;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Runs puzzles as {@link Thinking} asks: every puzzle becomes K₂ symmetric copies of K₁ trajectories,
 * all rows of all puzzles in one batch (row {@code p·K₁K₂ + a·K₁ + t} is trajectory t of copy a of
 * puzzle p; candidate {@code a·K₁ + t}). After every supervision step the answers are copied to the
 * host and mapped back to the puzzle's frame. In adaptive mode a puzzle stops once a candidate halts
 * (q_halt &gt; 0) with, under {@code rules}, a valid answer; the batch stops when every puzzle has.
 */
public final class Ensemble {
    private Ensemble() {}

    /** Sees the picked answers after each step 1..steps ([P, S] tokens and [P] q_halt; a stopped puzzle keeps its answer); reused arrays. */
    public interface StepListener {
        void accept(int step, int[] predictions, float[] qHalt);
    }

    /**
     * One puzzle's candidates at the step it stopped.
     *
     * @param answers [C][S] tokens in the puzzle's frame, candidate {@code a·K₁ + t}
     * @param qHalt [C] halting logits
     * @param valid [C] whether each answer passes the rule check (always false for kinds without rules)
     * @param stepsUsed supervision steps the puzzle ran
     * @param pick the winner under the chosen rule
     * @param history with {@code keepHistory}: per step, the [C][S] answers; else null
     * @param qHistory with {@code keepHistory}: per step, the [C] q_halt; else null
     */
    public record Candidates(int[][] answers, float[] qHalt, boolean[] valid, int stepsUsed, Selection.Pick pick,
                             List<int[][]> history, List<float[]> qHistory) {
        /** The winning answer. */
        public int[] answer() {
            return answers[pick.winner()];
        }

        public int winner() {
            return pick.winner();
        }

        public int agree() {
            return pick.agree();
        }

        /**
         * The pick of {@code rule} among the first {@code k1} trajectories of the first {@code k2} copies
         * (candidate {@code a·trajectories + t} takes part when a &lt; k2 and t &lt; k1).
         */
        public Selection.Pick pick(Thinking.Select rule, int trajectories, int k1, int k2) {
            boolean[] in = new boolean[answers.length];
            for (int c = 0; c < in.length; c++) in[c] = c / trajectories < k2 && c % trajectories < k1;
            return Selection.pick(rule, answers, qHalt, valid, in);
        }
    }

    /** Network calls of one supervision step of one row: T deep recursions of n + 1 calls. */
    public static int netCallsPerStep(ModelConfig c) {
        return c.recursions() * (c.latentSteps() + 1);
    }

    /**
     * @param questions [P][S] tokens, one puzzle each
     * @param puzzleIds [P] puzzle identifiers
     * @param steps supervision steps (the most in adaptive mode)
     * @param onStep may be null
     */
    public static List<Candidates> run(TrmModel model, PuzzleKind kind, int[][] questions, int[] puzzleIds, Thinking thinking,
                                       int steps, boolean adaptive, boolean keepHistory, StepListener onStep) {
        int puzzles = questions.length, s = model.config().seqLen();
        int k1 = thinking.trajectories(), cands = thinking.candidates();
        List<Symmetry> symmetries = Symmetry.of(kind, thinking.augment(), s, thinking.seed());
        int rows = puzzles * cands;
        int[] tokens = new int[rows * s];
        int[] ids = new int[rows];
        for (int p = 0; p < puzzles; p++) {
            for (int a = 0; a < symmetries.size(); a++) {
                int[] copy = symmetries.get(a).apply(questions[p]);
                for (int t = 0; t < k1; t++) {
                    int row = p * cands + a * k1 + t;
                    System.arraycopy(copy, 0, tokens, row * s, s);
                    ids[row] = puzzleIds[p];
                }
            }
        }
        State[] state = new State[puzzles];
        for (int p = 0; p < puzzles; p++) state[p] = new State(cands, s, keepHistory);
        int[] picked = new int[puzzles * s];
        float[] pickedQ = new float[puzzles];
        int ran = 0;
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            Supervision sup = model.evaluation(steps);
            Noise noise = thinking.noiseFor(steps);
            if (noise != null) sup = sup.withNoise(noise);
            Device d = model.device().torch();
            Batch batch = new Batch(Tensor.create(tokens, rows, s).to(d, ScalarType.Int), null, Tensor.create(ids, rows).to(d, ScalarType.Int));
            Carry carry = sup.initialCarry(batch);
            try {
                boolean allDone = false;
                while (ran < steps && !allDone) {
                    try (PointerScope stepScope = new PointerScope()) {
                        StepOutput out = sup.step(carry, batch);
                        carry = out.carry();
                        ran++;
                        int[] pred = ints(out.logits().argmax(new LongOptional(-1), false)); // (rows, S)
                        float[] q = Ops.toFloats(out.qHalt());                               // (rows)
                        allDone = true;
                        for (int p = 0; p < puzzles; p++) {
                            State st = state[p];
                            if (!st.done) st.update(ran, pred, q, p * cands, s, k1, symmetries, kind, questions[p], thinking.select(),
                                    adaptive, ran == steps);
                            allDone &= st.done;
                            System.arraycopy(st.answers[st.pick.winner()], 0, picked, p * s, s);
                            pickedQ[p] = st.qHalt[st.pick.winner()];
                        }
                        if (onStep != null) onStep.accept(ran, picked, pickedQ);
                    }
                }
            } finally {
                carry.close();
            }
        }
        if (onStep != null) for (int k = ran + 1; k <= steps; k++) onStep.accept(k, picked, pickedQ);
        List<Candidates> out = new ArrayList<>(puzzles);
        for (int p = 0; p < puzzles; p++) {
            State st = state[p];
            st.checkAll(kind, questions[p]);
            out.add(new Candidates(st.answers, st.qHalt, st.valid, st.stepsUsed, st.pick, st.history, st.qHistory));
        }
        return out;
    }

    /** One puzzle's candidates as they stand. */
    private static final class State {
        final int[][] answers;
        final float[] qHalt;
        final boolean[] valid;
        final List<int[][]> history;
        final List<float[]> qHistory;
        boolean checked;
        boolean done;
        int stepsUsed;
        Selection.Pick pick;

        State(int cands, int s, boolean keepHistory) {
            answers = new int[cands][s];
            qHalt = new float[cands];
            valid = new boolean[cands];
            history = keepHistory ? new ArrayList<>() : null;
            qHistory = keepHistory ? new ArrayList<>() : null;
        }

        void update(int step, int[] pred, float[] q, int firstRow, int s, int k1, List<Symmetry> symmetries, PuzzleKind kind,
                    int[] question, Thinking.Select rule, boolean adaptive, boolean last) {
            for (int c = 0; c < answers.length; c++) {
                int row = firstRow + c;
                answers[c] = symmetries.get(c / k1).undo(java.util.Arrays.copyOfRange(pred, row * s, (row + 1) * s));
                qHalt[c] = q[row];
            }
            checked = false;
            stepsUsed = step;
            if (rule == Thinking.Select.RULES || adaptive) checkAll(kind, question);
            pick = Selection.pick(rule, answers, qHalt, valid, null);
            if (history != null) {
                int[][] copy = new int[answers.length][];
                for (int c = 0; c < copy.length; c++) copy[c] = answers[c].clone();
                history.add(copy);
                qHistory.add(qHalt.clone());
            }
            boolean halted = false;
            for (int c = 0; c < answers.length && !halted; c++) halted = qHalt[c] > 0 && (rule != Thinking.Select.RULES || valid[c]);
            done = last || (adaptive && halted);
        }

        void checkAll(PuzzleKind kind, int[] question) {
            if (checked) return;
            for (int c = 0; c < answers.length; c++) valid[c] = Checks.valid(kind, question, answers[c]);
            checked = true;
        }
    }

    private static int[] ints(Tensor t) {
        Tensor c = t.to(ScalarType.Int).cpu().contiguous();
        int[] out = new int[(int) c.numel()];
        c.data_ptr_int().get(out);
        return out;
    }
}
