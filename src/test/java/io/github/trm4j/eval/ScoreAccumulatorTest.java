package io.github.trm4j.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-made answers whose metrics are known exactly (spec 3.3). */
class ScoreAccumulatorTest {
    private static final double EPS = 1e-12;
    // 4 rows of 4 tokens, label 0 ignored: row 1 has 2 supervised cells, row 2 none (not scored)
    private static final int[] LABELS = {
        1, 2, 3, 4,
        1, 1, 0, 0,
        0, 0, 0, 0,
        2, 2, 2, 2};

    @Test
    void exactTokenQHaltPerStepAndHistogram() {
        ScoreAccumulator acc = new ScoreAccumulator(4, 0, 2, 3, true);
        // step 1: row 0 3/4, row 1 1/2, row 3 exact; q: row 0 < 0 (agrees), row 1 >= 0 (wrong), row 3 = 0 counts as "halt" (agrees)
        acc.step(1, new int[] {1, 2, 3, 3, 1, 2, 7, 7, 5, 5, 5, 5, 2, 2, 2, 2}, new float[] {-1, 0.5f, 9, 0}, LABELS, 4);
        // step 2: rows 0, 1 exact (row 1's ignored cells differ), row 3 3/4; q: row 1 < 0 while exact (wrong)
        acc.step(2, new int[] {1, 2, 3, 4, 1, 1, 5, 5, 5, 5, 5, 5, 2, 2, 2, 1}, new float[] {2, -3, 9, -1}, LABELS, 4);
        int[] last = {1, 2, 3, 4, 1, 1, 5, 5, 5, 5, 5, 5, 2, 2, 2, 2};
        float[] q = {1, 1, 1, 1};
        acc.step(3, last, q, LABELS, 4);
        acc.finish(last, q, new int[] {3, 2, 1, 3}, LABELS, 4);

        EvalScores s = acc.result(2.0);
        assertEquals(4, s.examples());
        assertEquals(3, s.scored());
        assertEquals(1.0, s.exactAccuracy(), EPS);
        assertEquals(1.0, s.tokenAccuracy(), EPS);
        assertEquals(1.0, s.qHaltAccuracy(), EPS);
        assertEquals(8 / 3.0, s.meanSteps(), EPS, "rows 0, 1, 3 used 3, 2 and 3 steps; row 2 is not scored");
        assertArrayEquals(new long[] {0, 1, 2}, s.stepsHistogram());
        assertEquals(2.0, s.puzzlesPerSecond(), EPS);

        List<EvalScores.StepScore> c = s.perStep();
        assertEquals(3, c.size());
        assertStep(c.get(0), 1, 1 / 3.0, (0.75 + 0.5 + 1) / 3, 2 / 3.0);
        assertStep(c.get(1), 2, 2 / 3.0, (1 + 1 + 0.75) / 3, 2 / 3.0);
        assertStep(c.get(2), 3, 1, 1, 1);
    }

    @Test
    void everyCellSupervisedWithoutAnIgnoreLabel() {
        ScoreAccumulator acc = new ScoreAccumulator(2, null, 1, 1, false);
        int[] labels = {0, 1, 1, 1};
        int[] pred = {0, 1, 1, 0};
        acc.step(1, pred, new float[] {-1, -1}, labels, 2);
        acc.finish(pred, new float[] {-1, -1}, new int[] {1, 1}, labels, 2);
        EvalScores s = acc.result(0);
        assertEquals(2, s.scored(), "label 0 is a real label here");
        assertEquals(0.5, s.exactAccuracy(), EPS);
        assertEquals(0.75, s.tokenAccuracy(), EPS);
        assertEquals(0.5, s.qHaltAccuracy(), EPS);
        assertEquals(0, s.puzzlesPerSecond());
    }

    private static void assertStep(EvalScores.StepScore s, int step, double exact, double token, double q) {
        assertEquals(step, s.step());
        assertEquals(exact, s.exactAccuracy(), EPS, "exact at step " + step);
        assertEquals(token, s.tokenAccuracy(), EPS, "token at step " + step);
        assertEquals(q, s.qHaltAccuracy(), EPS, "q-halt at step " + step);
    }
}
