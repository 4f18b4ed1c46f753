package io.github.trm4j.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trm4j.data.PuzzleDataset;
import io.github.trm4j.model.TrmModel;
import io.github.trm4j.solve.Ensemble;
import io.github.trm4j.solve.PuzzleKind;
import io.github.trm4j.solve.Thinking;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Scores a split with {@link Thinking} (noisy trajectories, symmetric copies, a selection rule): the
 * headline scores use the chosen rule with every candidate; the curves give, for each rule, the
 * accuracy with the first k₁ trajectories of the first k₂ copies of the same run (k₁·k₂ = K).
 */
public final class EnsembleScoring {
    private EnsembleScoring() {}

    /** Exact accuracy with K = trajectories·augment candidates per puzzle and the network calls that cost per puzzle. */
    public record Point(int trajectories, int augment, double exactAccuracy, double netCallsPerPuzzle) {
        public int k() {
            return trajectories * augment;
        }
    }

    /**
     * @param scores the chosen rule with all candidates (per step: the pick among the answers as they stood)
     * @param netCallsPerPuzzle network calls per puzzle, all candidates, over the steps each puzzle ran
     * @param curves accuracy against K, per rule
     */
    public record Result(EvalScores scores, Thinking thinking, double netCallsPerPuzzle, Map<Thinking.Select, List<Point>> curves) {
        /** The metrics.json block "thinking" (docs/eval.md). */
        public ObjectNode toJson() {
            ObjectNode o = EvalScores.JSON.createObjectNode();
            o.put("select", thinking.select().label());
            o.put("trajectories", thinking.trajectories());
            o.put("augment", thinking.augment());
            o.put("k", thinking.candidates());
            o.put("noise", thinking.noise());
            o.put("noise_on", thinking.noiseOn().name().toLowerCase(java.util.Locale.ROOT));
            o.put("noise_steps", thinking.noiseSteps());
            o.put("seed", thinking.seed());
            o.put("net_calls_per_puzzle", netCallsPerPuzzle);
            ObjectNode c = o.putObject("accuracy_vs_k");
            curves.forEach((rule, points) -> {
                ArrayNode a = c.putArray(rule.label());
                for (Point p : points) {
                    a.addObject().put("k", p.k()).put("trajectories", p.trajectories()).put("augment", p.augment())
                            .put("exact_accuracy", p.exactAccuracy()).put("net_calls_per_puzzle", p.netCallsPerPuzzle());
                }
            });
            return o;
        }
    }

    /** The (k₁, k₂) of the curves: doubling both up to (K₁, K₂), the full run last. */
    static List<int[]> grid(int k1, int k2) {
        Set<List<Integer>> points = new LinkedHashSet<>();
        for (int i = 1; i < Math.max(k1, k2); i *= 2) points.add(List.of(Math.min(i, k1), Math.min(i, k2)));
        points.add(List.of(k1, k2));
        return points.stream().map(p -> new int[] {p.get(0), p.get(1)}).toList();
    }

    /** As {@link Scoring#score}: the ranks of {@code shard} score their batches and every rank returns the whole result. */
    public static Result score(TrmModel model, PuzzleKind kind, PuzzleDataset split, Scoring.Options options, Thinking thinking,
                               EvalShard shard, Consumer<Scoring.BatchAnswers> sink, io.github.trm4j.Progress progress) {
        long start = System.nanoTime();
        int s = split.metadata().seqLen();
        long n = Math.min(options.limit(), split.examples());
        Integer ignore = split.metadata().ignoreLabelId();
        ScoreAccumulator acc = new ScoreAccumulator(s, ignore, model.config().supervisionSteps(), options.steps(), options.adaptive());
        List<int[]> grid = grid(thinking.trajectories(), thinking.augment());
        int rules = Thinking.Select.values().length;
        // entry rule·|grid| + g: puzzles right; then the puzzles scored and the steps they used
        long[] counts = new long[rules * grid.size() + 2];
        int perBatch = Math.max(1, options.batchSize() / thinking.candidates());
        shard.forEachBatch(n, perBatch, s, (first, rows, part) -> {
            int[] inputs = split.inputs(first, rows);
            int[] labels = split.labels(first, rows);
            int[] ids = Scoring.puzzleIds(split, first, rows);
            int[][] questions = new int[rows][];
            for (int r = 0; r < rows; r++) questions[r] = java.util.Arrays.copyOfRange(inputs, r * s, (r + 1) * s);
            List<Ensemble.Candidates> cands = Ensemble.run(model, kind, questions, ids, thinking, options.steps(), options.adaptive(), false,
                    (step, predictions, qHalt) -> acc.step(step, predictions, qHalt, labels, rows));
            int[] predictions = new int[rows * s];
            float[] qHalt = new float[rows];
            int[] used = new int[rows];
            for (int r = 0; r < rows; r++) {
                Ensemble.Candidates c = cands.get(r);
                System.arraycopy(c.answer(), 0, predictions, r * s, s);
                qHalt[r] = c.qHalt()[c.winner()];
                used[r] = c.stepsUsed();
                int[] label = java.util.Arrays.copyOfRange(labels, r * s, (r + 1) * s);
                if (!supervised(label, ignore)) continue;
                counts[counts.length - 2]++;
                counts[counts.length - 1] += c.stepsUsed();
                for (Thinking.Select rule : Thinking.Select.values()) {
                    for (int g = 0; g < grid.size(); g++) {
                        int winner = c.pick(rule, thinking.trajectories(), grid.get(g)[0], grid.get(g)[1]).winner();
                        if (exact(c.answers()[winner], label, ignore)) counts[rule.ordinal() * grid.size() + g]++;
                    }
                }
            }
            acc.finish(predictions, qHalt, used, labels, rows);
            return new Scoring.BatchAnswers(first, rows, inputs, ids, predictions, qHalt, used);
        }, sink, progress);
        long[] total = acc.reduce(shard, counts);
        long scored = total[total.length - 2], stepsUsed = total[total.length - 1];
        EvalScores scores = acc.result((System.nanoTime() - start) / 1e9);
        double perCandidate = (double) stepsUsed / Math.max(1, scored) * Ensemble.netCallsPerStep(model.config());
        Map<Thinking.Select, List<Point>> curves = new EnumMap<>(Thinking.Select.class);
        for (Thinking.Select rule : Thinking.Select.values()) {
            List<Point> points = new ArrayList<>();
            for (int g = 0; g < grid.size(); g++) {
                int k1 = grid.get(g)[0], k2 = grid.get(g)[1];
                points.add(new Point(k1, k2, (double) total[rule.ordinal() * grid.size() + g] / Math.max(1, scored), perCandidate * k1 * k2));
            }
            curves.put(rule, points);
        }
        return new Result(scores, thinking, perCandidate * thinking.candidates(), curves);
    }

    private static boolean supervised(int[] label, Integer ignore) {
        for (int v : label) if (ignore == null || v != ignore) return true;
        return false;
    }

    private static boolean exact(int[] answer, int[] label, Integer ignore) {
        for (int i = 0; i < label.length; i++) if ((ignore == null || label[i] != ignore) && answer[i] != label[i]) return false;
        return true;
    }
}
