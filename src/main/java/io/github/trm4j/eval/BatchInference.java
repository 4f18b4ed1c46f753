package io.github.trm4j.eval;

import io.github.trm4j.model.Batch;
import io.github.trm4j.model.Ops;
import io.github.trm4j.model.Supervision;
import io.github.trm4j.model.TrmModel;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * One batch through the model from a fresh carry, with the answers copied to the host after every
 * supervision step. A row's answer is its argmax and q_halt at the latest step, until the row stops
 * (always at the last step; in adaptive mode at its first q_halt &gt; 0): from then on it keeps the
 * answer of that step, which is also its final answer.
 */
final class BatchInference {
    private BatchInference() {}

    /** Sees the answers after each step 1..maxSteps; the arrays are reused, copy what you keep. */
    interface StepListener {
        void accept(int step, int[] predictions, float[] qHalt);
    }

    /**
     * Final answers of a batch.
     *
     * @param predictions [rows, S] argmax tokens
     * @param qHalt [rows] halting logits at the step each row stopped
     * @param steps [rows] supervision steps each row used
     */
    record Answers(int[] predictions, float[] qHalt, int[] steps) {}

    /**
     * @param inputs [rows, S] tokens
     * @param puzzleIds [rows] puzzle identifiers
     * @param onStep called for every step up to {@code supervision.maxSteps()}, also when an adaptive
     *     batch stopped early (then with the frozen answers); may be null
     */
    static Answers run(TrmModel model, Supervision supervision, int[] inputs, int[] puzzleIds, int rows, StepListener onStep) {
        int s = model.config().seqLen();
        int[] predictions = new int[rows * s];
        float[] qHalt = new float[rows];
        int[] used = new int[rows];
        int[] ran = {0};
        try (PointerScope scope = new PointerScope()) {
            Device d = model.device().torch();
            Batch batch = new Batch(Tensor.create(inputs, rows, s).to(d, ScalarType.Int), null,
                    Tensor.create(puzzleIds, rows).to(d, ScalarType.Int));
            supervision.run(batch, out -> {
                int step = ++ran[0];
                int[] p = ints(out.logits().argmax(new LongOptional(-1), false)); // (B, S)
                float[] q = Ops.toFloats(out.qHalt());                            // (B)
                int[] halted = ints(out.carry().halted());                        // (B)
                for (int r = 0; r < rows; r++) {
                    if (used[r] != 0) continue;
                    System.arraycopy(p, r * s, predictions, r * s, s);
                    qHalt[r] = q[r];
                    if (halted[r] != 0) used[r] = step;
                }
                if (onStep != null) onStep.accept(step, predictions, qHalt);
            });
        }
        if (onStep != null) {
            for (int k = ran[0] + 1; k <= supervision.maxSteps(); k++) onStep.accept(k, predictions, qHalt);
        }
        return new Answers(predictions, qHalt, used);
    }

    private static int[] ints(Tensor t) {
        Tensor c = t.to(ScalarType.Int).cpu().contiguous();
        int[] out = new int[(int) c.numel()];
        c.data_ptr_int().get(out);
        return out;
    }
}
