package io.github.trm4j.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.trm4j.data.ArcAugmentation;
import io.github.trm4j.data.ArcCanvas;
import io.github.trm4j.data.ArcPair;
import io.github.trm4j.data.ArcTask;
import io.github.trm4j.data.ArcVersion;
import io.github.trm4j.data.Dihedral;
import io.github.trm4j.data.Grid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Voting on synthetic predictions made in augmented frames: known winners, pass@k and the submission (spec 7.2). */
class ArcVotesTest {
    private static final Grid I1 = Grid.of(new int[][] {{1, 2}, {3, 0}});
    private static final Grid O1 = Grid.of(new int[][] {{4, 5, 6}});
    private static final Grid W1 = Grid.of(new int[][] {{4, 5, 7}});
    private static final Grid I2A = Grid.of(new int[][] {{7}});
    private static final Grid O2A = Grid.of(new int[][] {{8, 8}, {9, 9}});
    private static final Grid W2A = Grid.of(new int[][] {{8, 9}, {9, 9}});
    private static final Grid I2B = Grid.of(new int[][] {{1, 1, 2}});
    private static final Grid O2B = Grid.of(new int[][] {{3}});
    private static final Grid X2B = Grid.of(new int[][] {{3, 3}});

    private static final List<ArcTask> TASKS = List.of(
            new ArcTask("t1", List.of(), List.of(new ArcPair(I1, O1))),
            new ArcTask("t2", List.of(), List.of(new ArcPair(I2A, O2A), new ArcPair(I2B, O2B))),
            new ArcTask("t3", List.of(), List.of(new ArcPair(I1, O2B))));

    /** Four versions per task: the original and three with transposing/rotating transforms and recolourings. */
    private static final List<ArcAugmentation> AUGS = List.of(
            ArcAugmentation.IDENTITY,
            new ArcAugmentation(Dihedral.ofId(1), new int[] {0, 2, 3, 4, 5, 6, 7, 8, 9, 1}),
            new ArcAugmentation(Dihedral.ofId(4), new int[] {0, 9, 8, 7, 6, 5, 4, 3, 2, 1}),
            new ArcAugmentation(Dihedral.ofId(7), new int[] {0, 5, 1, 9, 2, 8, 3, 7, 4, 6}));

    private final List<String> names = new ArrayList<>(List.of("<blank>"));
    private final List<int[]> inputs = new ArrayList<>();
    private final List<int[]> predictions = new ArrayList<>();
    private final List<Integer> ids = new ArrayList<>();
    private final List<Float> qs = new ArrayList<>();

    @Test
    void votesAcrossAugmentationsRankByVotesThenConfidence() {
        // t1: two votes each for O1 and W1; W1 is more confident, so it ranks first
        row("t1", 0, I1, O1, -2);
        row("t1", 1, I1, O1, -2);
        row("t1", 2, I1, W1, 3);
        row("t1", 3, I1, W1, 3);
        // t2, first input: votes beat confidence
        row("t2", 0, I2A, O2A, -5);
        row("t2", 1, I2A, O2A, -5);
        row("t2", 2, I2A, O2A, -5);
        row("t2", 3, I2A, W2A, 5);
        // t2, second input: two empty crops lead; O2B beats X2B on confidence for second place
        row("t2", 0, I2B, null, 0);
        row("t2", 1, I2B, null, 0);
        row("t2", 2, I2B, O2B, 1);
        row("t2", 3, I2B, X2B, 0);
        // a task outside the test set is ignored
        row("zz", 0, I1, O1, 0);

        ArcVotes votes = new ArcVotes(TASKS, names);
        votes.add(batch());
        ArcScores s = votes.score();
        assertEquals(3, s.tasks());
        assertEquals(2, s.tasksEvaluated(), "t3 got no prediction and is left out of the mean");
        assertEquals(3, s.testInputs());
        assertEquals(12, s.votes());
        assertEquals(2 + 2 + 3, s.candidates());
        assertEquals(0.25, s.passAtK().get(1), 1e-12, "t1 0, t2 (1 + 0) / 2");
        assertEquals(1.0, s.passAt2(), 1e-12);
        for (int k : new int[] {5, 10, 100, 1000}) assertEquals(1.0, s.passAtK().get(k), 1e-12);
        assertEquals(List.of(1, 2, 5, 10, 100, 1000), List.copyOf(s.passAtK().keySet()));

        Map<String, List<Map<String, int[][]>>> sub = votes.submission();
        assertEquals(List.of("t1", "t2", "t3"), List.copyOf(sub.keySet()));
        assertAttempts(sub.get("t1").get(0), W1, O1);
        assertEquals(2, sub.get("t2").size(), "one entry per test input");
        assertAttempts(sub.get("t2").get(0), O2A, W2A);
        assertAttempts(sub.get("t2").get(1), O2B, X2B);  // the empty crop is never submitted
        assertAttempts(sub.get("t3").get(0), Grid.of(new int[][] {{0}}), Grid.of(new int[][] {{0}}));

        // the same rows again (a second evaluation into the same store, as --pool-votes does): twice the votes, same ranking
        votes.add(batch());
        ArcScores pooled = votes.score();
        assertEquals(24, pooled.votes());
        assertEquals(s.passAtK(), pooled.passAtK());
    }

    @Test
    void everyAugmentationIsUndoneBeforeVoting() {
        SplittableRandom rng = new SplittableRandom(3);
        Grid out = Grid.of(new int[][] {{1, 2, 3}, {4, 5, 6}});
        for (Dihedral d : Dihedral.values()) {
            int[] colours = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
            for (int i = 9; i > 1; i--) {
                int j = 1 + rng.nextInt(i);
                int t = colours[i];
                colours[i] = colours[j];
                colours[j] = t;
            }
            ArcAugmentation a = new ArcAugmentation(d, colours);
            String name = new ArcVersion("t1", a).name();
            names.add(name);
            ids.add(names.size() - 1);
            inputs.add(canvas(a.apply(I1)));
            predictions.add(canvas(a.apply(out)));
            qs.add(0f);
        }
        ArcVotes votes = new ArcVotes(List.of(new ArcTask("t1", List.of(), List.of(new ArcPair(I1, out)))), names);
        votes.add(batch());
        ArcScores s = votes.score();
        assertEquals(8, s.votes());
        assertEquals(1, s.candidates(), "all eight versions agree once undone");
        assertEquals(1.0, s.passAtK().get(1));
    }

    private void row(String task, int aug, Grid input, Grid predicted, float q) {
        ArcAugmentation a = AUGS.get(aug);
        String name = new ArcVersion(task, a).name();
        int id = names.indexOf(name);
        if (id < 0) {
            names.add(name);
            id = names.size() - 1;
        }
        ids.add(id);
        inputs.add(canvas(a.apply(input)));
        predictions.add(predicted == null ? new int[ArcCanvas.SEQ_LEN] : canvas(a.apply(predicted)));
        qs.add(q);
    }

    private Scoring.BatchAnswers batch() {
        int n = ids.size();
        int[] in = new int[n * ArcCanvas.SEQ_LEN], pred = new int[n * ArcCanvas.SEQ_LEN], id = new int[n], steps = new int[n];
        float[] q = new float[n];
        for (int r = 0; r < n; r++) {
            System.arraycopy(inputs.get(r), 0, in, r * ArcCanvas.SEQ_LEN, ArcCanvas.SEQ_LEN);
            System.arraycopy(predictions.get(r), 0, pred, r * ArcCanvas.SEQ_LEN, ArcCanvas.SEQ_LEN);
            id[r] = ids.get(r);
            q[r] = qs.get(r);
            steps[r] = 16;
        }
        return new Scoring.BatchAnswers(0, n, in, id, pred, q, steps);
    }

    private static int[] canvas(Grid g) {
        byte[] b = ArcCanvas.encode(g, 0, 0);
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) out[i] = b[i];
        return out;
    }

    private static void assertAttempts(Map<String, int[][]> m, Grid first, Grid second) {
        assertEquals(List.of("attempt_1", "attempt_2"), List.copyOf(m.keySet()));
        assertArrayEquals(first.toRows(), m.get("attempt_1"));
        assertArrayEquals(second.toRows(), m.get("attempt_2"));
    }
}
