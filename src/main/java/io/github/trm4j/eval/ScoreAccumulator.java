package io.github.trm4j.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Sums the metrics of spec 3.3 batch by batch, so a split of any size costs a few arrays of
 * {@code steps} counters. Rows without a supervised label are left out, as in the official code.
 */
final class ScoreAccumulator {
    private final int seqLen;
    private final Integer ignoreLabel;
    private final int supervisionSteps;
    private final int steps;
    private final boolean adaptive;

    private final double[] stepToken;
    private final long[] stepExact;
    private final long[] stepQ;
    private final long[] histogram;
    private long examples;
    private long scored;
    private double token;
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
        stepToken = new double[steps];
        stepExact = new long[steps];
        stepQ = new long[steps];
        histogram = new long[steps];
    }

    /** The answers of {@code rows} rows as they stand after {@code step} (1-based); predictions are [rows, S]. */
    void step(int step, int[] predictions, float[] qHalt, int[] labels, int rows) {
        int k = step - 1;
        for (int r = 0; r < rows; r++) {
            long rs = rowScore(predictions, labels, r);
            int right = (int) (rs >>> 32), supervised = (int) rs;
            if (supervised == 0) continue;
            boolean isExact = right == supervised;
            stepToken[k] += (double) right / supervised;
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
            token += (double) right / supervised;
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

    EvalScores result(double seconds) {
        double n = Math.max(1, scored);
        List<EvalScores.StepScore> curve = new ArrayList<>(steps);
        for (int k = 0; k < steps; k++) curve.add(new EvalScores.StepScore(k + 1, stepExact[k] / n, stepToken[k] / n, stepQ[k] / n));
        return new EvalScores(examples, scored, supervisionSteps, steps, adaptive, exact / n, token / n, qRight / n,
                stepsUsed / n, histogram, curve, seconds);
    }
}
