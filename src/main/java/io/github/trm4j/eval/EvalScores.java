package io.github.trm4j.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Scores of one pass over a split (spec 3.3, 7.1). An example counts once it has at least one
 * supervised label ("scored"); every rate below is over the scored examples.
 *
 * @param examples rows evaluated
 * @param scored rows with at least one supervised label
 * @param supervisionSteps N_sup, the steps the model was trained with
 * @param steps the most supervision steps a row could run (the {@code --steps} limit)
 * @param adaptive whether rows stopped at their first q_halt &gt; 0
 * @param exactAccuracy fraction of rows with every supervised token right, at the step each row stopped
 * @param tokenAccuracy mean over rows of the fraction of supervised tokens right
 * @param qHaltAccuracy fraction of rows where (q_halt &ge; 0) agrees with the row being exactly right
 * @param meanSteps mean supervision steps used per row
 * @param stepsHistogram entry k-1: rows that stopped after k steps (length {@code steps})
 * @param perStep the answer as it stands after each step 1..steps (adaptive: a stopped row keeps its answer)
 * @param seconds wall clock of the pass (reading, inference, scoring), model loading excluded
 */
public record EvalScores(long examples, long scored, int supervisionSteps, int steps, boolean adaptive,
                         double exactAccuracy, double tokenAccuracy, double qHaltAccuracy,
                         double meanSteps, long[] stepsHistogram, List<StepScore> perStep, double seconds) {

    /** Accuracy of the answers as they stand after {@code step} supervision steps. */
    public record StepScore(int step, double exactAccuracy, double tokenAccuracy, double qHaltAccuracy) {}

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public EvalScores {
        stepsHistogram = stepsHistogram.clone();
        perStep = List.copyOf(perStep);
    }

    @Override
    public long[] stepsHistogram() {
        return stepsHistogram.clone();
    }

    /** Rows per second of wall clock. */
    public double puzzlesPerSecond() {
        return seconds > 0 ? examples / seconds : 0;
    }

    /** The metrics.json fields of the scores (see docs/eval.md). */
    ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("mode", adaptive ? "adaptive" : "fixed");
        o.put("supervision_steps", supervisionSteps);
        o.put("steps", steps);
        o.put("examples", examples);
        o.put("examples_scored", scored);
        o.put("exact_accuracy", exactAccuracy);
        o.put("token_accuracy", tokenAccuracy);
        o.put("q_halt_accuracy", qHaltAccuracy);
        o.put("mean_steps", meanSteps);
        ObjectNode hist = o.putObject("steps_histogram");
        for (int k = 0; k < stepsHistogram.length; k++) hist.put(Integer.toString(k + 1), stepsHistogram[k]);
        ArrayNode curve = o.putArray("per_step");
        for (StepScore s : perStep) {
            curve.addObject().put("step", s.step()).put("exact_accuracy", s.exactAccuracy())
                    .put("token_accuracy", s.tokenAccuracy()).put("q_halt_accuracy", s.qHaltAccuracy());
        }
        o.put("seconds", seconds);
        o.put("puzzles_per_second", puzzlesPerSecond());
        return o;
    }
}
