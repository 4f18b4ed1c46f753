package io.github.trm4j.train;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Evaluation-mode results on a split (spec 7.1): every example runs all N_sup supervision steps
 * from a fresh carry and is scored on the last step's argmax.
 *
 * @param step the optimizer step whose weights were evaluated
 * @param examples examples scored
 * @param accuracy mean over examples of the fraction of supervised cells right
 * @param exactAccuracy fraction of examples with every supervised cell right
 * @param supervisionSteps steps each example ran
 * @param ema whether the EMA weights were used
 * @param set the --eval-data name of the set, or null for the run's test split
 */
public record EvalMetrics(long step, long examples, double accuracy, double exactAccuracy, int supervisionSteps, boolean ema, String set) {
    ObjectNode toJson() {
        ObjectNode o = TrainConfig.JSON.createObjectNode();
        o.put("type", "eval");
        o.put("step", step);
        if (set != null) o.put("set", set);
        o.put("examples", examples);
        o.put("accuracy", accuracy);
        o.put("exact_accuracy", exactAccuracy);
        o.put("supervision_steps", supervisionSteps);
        o.put("weights", ema ? "ema" : "raw");
        return o;
    }
}
