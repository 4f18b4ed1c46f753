package io.github.trm4j.train;

import io.github.trm4j.data.PuzzleDataset;
import io.github.trm4j.model.Batch;
import io.github.trm4j.model.Inference;
import io.github.trm4j.model.TrmModel;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** Scores a model on the first examples of a split in file order, in evaluation mode (spec 6.5, 7.1). */
final class Evaluation {
    private Evaluation() {}

    /**
     * @param limit examples to score (at most the split's size)
     * @param batchSize rows per forward pass
     */
    static EvalMetrics run(TrmModel model, PuzzleDataset split, long limit, int batchSize, long step, boolean ema) {
        int s = split.metadata().seqLen();
        Integer ignore = split.metadata().ignoreLabelId();
        long n = Math.min(limit, split.examples());
        int[] exampleIds = puzzleIdOfEachExample(split, n);
        double accuracy = 0;
        long exact = 0;
        Device device = model.device().torch();
        for (long start = 0; start < n; start += batchSize) {
            int count = (int) Math.min(batchSize, n - start);
            int[] inputs = split.inputs(start, count);
            int[] labels = split.labels(start, count);
            int[] ids = new int[count];
            System.arraycopy(exampleIds, (int) start, ids, 0, count);
            int[] predicted;
            try (PointerScope scope = new PointerScope()) {
                Batch batch = new Batch(Tensor.create(inputs, count, s).to(device, ScalarType.Int), null,
                        Tensor.create(ids, count).to(device, ScalarType.Int));
                Inference out = model.evaluation().run(batch, null);
                predicted = TrainStep.ints(out.predictions());
            }
            for (int r = 0; r < count; r++) {
                int supervised = 0;
                int right = 0;
                for (int t = r * s; t < (r + 1) * s; t++) {
                    if (ignore != null && labels[t] == ignore) continue;
                    supervised++;
                    if (predicted[t] == labels[t]) right++;
                }
                accuracy += (double) right / Math.max(1, supervised);
                if (right == supervised) exact++;
            }
        }
        return new EvalMetrics(step, n, accuracy / Math.max(1, n), (double) exact / Math.max(1, n),
                model.config().supervisionSteps(), ema);
    }

    private static int[] puzzleIdOfEachExample(PuzzleDataset split, long n) {
        int[] out = new int[(int) n];
        for (int p = 0; p < split.puzzles() && split.puzzleStart(p) < n; p++) {
            for (int e = split.puzzleStart(p); e < Math.min(split.puzzleEnd(p), n); e++) out[e] = split.puzzleIdentifier(p);
        }
        return out;
    }
}
