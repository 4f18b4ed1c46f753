package io.github.trm4j.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sums the metrics of spec 3.3 batch by batch, so a split of any size costs a few arrays of
 * counters. Rows without a supervised label are left out, as in the official code. Every counter is
 * an integer, the token accuracy too (right cells summed per count of supervised cells), so the
 * sums of several ranks give exactly the figures of one process, in any order.
 */
final class ScoreAccumulator {
    private final int seqLen;
    private final Integer ignoreLabel;
    private final int supervisionSteps;
    private final int steps;
    private final boolean adaptive;

    // entry k·(S+1) + d: right cells after step k+1 summed over the rows with d supervised cells
    private final long[] stepRight;
    private final long[] stepExact;
    private final long[] stepQ;
    private final long[] histogram;
    // entry d: right cells of the final answers summed over the rows with d supervised cells
    private final long[] finalRight;
    private long examples;
    private long scored;
    private long exact;
    private long qRight;
    private long stepsUsed;

    /** @param ignoreLabel label id of unsupervised cells, or null when every cell is supervised */
    ScoreAccumulator(int seqLen, Integer ignoreLabel, int supervisionSteps, int steps, boolean adaptive) {
        this.seqLen = seqLen;
        this.ignoreLabel = ignoreLabel;
        this.supervisionSteps = supervisionSteps;
        this.steps = steps;
        this.adaptive = adaptive;
        stepRight = new long[steps * (seqLen + 1)];
        stepExact = new long[steps];
        stepQ = new long[steps];
        histogram = new long[steps];
        finalRight = new long[seqLen + 1];
    }

    /** The answers of {@code rows} rows as they stand after {@code step} (1-based); predictions are [rows, S]. */
    void step(int step, int[] predictions, float[] qHalt, int[] labels, int rows) {
        int k = step - 1;
        for (int r = 0; r < rows; r++) {
            long rs = rowScore(predictions, labels, r);
            int right = (int) (rs >>> 32), supervised = (int) rs;
            if (supervised == 0) continue;
            boolean isExact = right == supervised;
            stepRight[k * (seqLen + 1) + supervised] += right;
            if (isExact) stepExact[k]++;
            if ((qHalt[r] >= 0) == isExact) stepQ[k]++;
        }
    }

    /** The final answers of a batch and the steps each row used. */
    void finish(int[] predictions, float[] qHalt, int[] used, int[] labels, int rows) {
        examples += rows;
        for (int r = 0; r < rows; r++) {
            long rs = rowScore(predictions, labels, r);
            int right = (int) (rs >>> 32), supervised = (int) rs;
            if (supervised == 0) continue;
            scored++;
            boolean isExact = right == supervised;
            finalRight[supervised] += right;
            if (isExact) exact++;
            // the official q_halt_accuracy: (q_halt >= 0) == seq_is_correct
            if ((qHalt[r] >= 0) == isExact) qRight++;
            stepsUsed += used[r];
            histogram[used[r] - 1]++;
        }
    }

    /** (right << 32) | supervised for row r. */
    private long rowScore(int[] predictions, int[] labels, int r) {
        int right = 0, supervised = 0;
        for (int t = r * seqLen; t < (r + 1) * seqLen; t++) {
            if (ignoreLabel != null && labels[t] == ignoreLabel) continue;
            supervised++;
            if (predictions[t] == labels[t]) right++;
        }
        return ((long) right << 32) | supervised;
    }

    /**
     * Adds the counters of every rank of {@code shard} into this one (on every rank), together with
     * the caller's own {@code extra} counters, whose sums it returns.
     */
    long[] reduce(EvalShard shard, long[] extra) {
        if (shard.size() == 1) return extra;
        long[][] parts = {stepRight, stepExact, stepQ, histogram, finalRight, {examples, scored, exact, qRight, stepsUsed}, extra};
        int length = 0;
        for (long[] p : parts) length += p.length;
        long[] all = new long[length];
        int at = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        long[] sum = shard.sum(all, "the evaluation scores");
        at = 0;
        for (int i = 0; i < parts.length - 2; i++) {
            System.arraycopy(sum, at, parts[i], 0, parts[i].length);
            at += parts[i].length;
        }
        examples = sum[at];
        scored = sum[at + 1];
        exact = sum[at + 2];
        qRight = sum[at + 3];
        stepsUsed = sum[at + 4];
        return Arrays.copyOfRange(sum, at + 5, sum.length);
    }

    /** Σ_d right[from + d] / d over d = 1..S: the sum over rows of their fraction of right cells. */
    private double fractions(long[] rightBySupervised, int from) {
        double sum = 0;
        for (int d = 1; d <= seqLen; d++) sum += (double) rightBySupervised[from + d] / d;
        return sum;
    }

    EvalScores result(double seconds) {
        double n = Math.max(1, scored);
        List<EvalScores.StepScore> curve = new ArrayList<>(steps);
        for (int k = 0; k < steps; k++) {
            curve.add(new EvalScores.StepScore(k + 1, stepExact[k] / n, fractions(stepRight, k * (seqLen + 1)) / n, stepQ[k] / n));
        }
        return new EvalScores(examples, scored, supervisionSteps, steps, adaptive, exact / n, fractions(finalRight, 0) / n, qRight / n,
                stepsUsed / n, histogram, curve, seconds);
    }
}
