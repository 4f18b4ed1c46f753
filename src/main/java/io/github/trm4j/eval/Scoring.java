package io.github.trm4j.eval;

import io.github.trm4j.InputException;
import io.github.trm4j.Progress;
import io.github.trm4j.data.PuzzleDataset;
import io.github.trm4j.model.ModelConfig;
import io.github.trm4j.model.Supervision;
import io.github.trm4j.model.TrmModel;
import java.util.function.Consumer;

/**
 * Scores a model on a split, streamed in batches in file order (spec 6.5, 7.1): the one evaluation
 * path of {@code trm eval} and of the evaluations during training. Memory holds one batch's tokens
 * and logits, whatever the size of the split.
 */
public final class Scoring {
    private Scoring() {}

    /**
     * @param steps supervision steps (the most a row may use in adaptive mode); more than N_sup is
     *     test-time scaling
     * @param adaptive stop each row at its first q_halt &gt; 0
     * @param batchSize rows per forward pass
     * @param limit score only the first {@code limit} examples (at most the split's size)
     */
    public record Options(int steps, boolean adaptive, int batchSize, long limit) {
        public Options {
            ModelConfig.checkSteps("--steps", steps);
            if (batchSize < 1) throw new InputException("--batch-size: must be at least 1, got " + batchSize);
            if (limit < 1) throw new InputException("--limit: must be at least 1, got " + limit);
        }

        /** The paper's protocol: N_sup steps for every row, the whole split. */
        public static Options paper(TrmModel model, int batchSize) {
            return new Options(model.config().supervisionSteps(), false, batchSize, Long.MAX_VALUE);
        }
    }

    /**
     * The final answers of one batch, in dataset order.
     *
     * @param first index of the batch's first example in the split
     * @param inputs [rows, S] input tokens
     * @param puzzleIds [rows] puzzle identifier of each row
     * @param predictions [rows, S] argmax tokens at the step each row stopped
     * @param qHalt [rows] q_halt logits at that step
     * @param steps [rows] supervision steps used
     */
    public record BatchAnswers(long first, int rows, int[] inputs, int[] puzzleIds, int[] predictions, float[] qHalt, int[] steps) {}

    /**
     * The ranks of {@code shard} score their batches; every rank returns the figures of the whole
     * selection (the same as one process).
     *
     * @param sink sees every batch's final answers in file order (predictions file, ARC votes): on
     *     rank 0, given or null alike on every rank
     * @param progress advanced puzzle by puzzle: a batch's rows count as done in proportion to its supervision steps; may be null
     */
    public static EvalScores score(TrmModel model, PuzzleDataset split, Options options, EvalShard shard, Consumer<BatchAnswers> sink,
                                   Progress progress) {
        long start = System.nanoTime();
        int s = split.metadata().seqLen();
        long n = Math.min(options.limit(), split.examples());
        Supervision supervision = options.adaptive() ? model.adaptive(options.steps()) : model.evaluation(options.steps());
        ScoreAccumulator acc = new ScoreAccumulator(s, split.metadata().ignoreLabelId(), model.config().supervisionSteps(),
                options.steps(), options.adaptive());
        shard.forEachBatch(n, options.batchSize(), s, (first, rows, part) -> {
            int[] inputs = split.inputs(first, rows);
            int[] labels = split.labels(first, rows);
            int[] ids = puzzleIds(split, first, rows);
            BatchInference.Answers a = BatchInference.run(model, supervision, inputs, ids, rows, (step, predictions, qHalt) -> {
                acc.step(step, predictions, qHalt, labels, rows);
                part.reached(step, options.steps());
            });
            acc.finish(a.predictions(), a.qHalt(), a.steps(), labels, rows);
            return new BatchAnswers(first, rows, inputs, ids, a.predictions(), a.qHalt(), a.steps());
        }, sink, progress);
        acc.reduce(shard, new long[0]);
        return acc.result((System.nanoTime() - start) / 1e9);
    }

    /** The puzzle identifier of each of the rows {@code first..first+rows-1}. */
    static int[] puzzleIds(PuzzleDataset split, long first, int rows) {
        int[] ids = new int[rows];
        int lo = 0, hi = split.puzzles() - 1; // the first puzzle that ends after row `first` (ends ascend)
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (split.puzzleEnd(mid) <= first) lo = mid + 1;
            else hi = mid;
        }
        int puzzle = lo;
        for (int r = 0; r < rows; r++) {
            while (split.puzzleEnd(puzzle) <= first + r) puzzle++;
            ids[r] = split.puzzleIdentifier(puzzle);
        }
        return ids;
    }
}
