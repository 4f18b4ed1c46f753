package io.github.trm4j.train;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What one optimizer step reports (spec 3.3). Losses are sums over all slots divided by the global
 * batch size, exactly the objective that was back-propagated; the other metrics are averages over
 * the slots that halted at this step with at least one supervised cell ({@code halted} of them).
 *
 * @param step optimizer step, from 1
 * @param lr AdamATan2 rate used
 * @param loss (lm + 0.5·qHalt) / B
 * @param lmLoss token loss / B
 * @param qHaltLoss Q-halt BCE / B
 * @param halted slots counted by the averages below
 * @param accuracy mean fraction of supervised cells right (NaN when none halted)
 * @param exactAccuracy fraction of sequences entirely right
 * @param qHaltAccuracy fraction where (q_halt ≥ 0) agrees with "entirely right"
 * @param meanSteps mean supervision steps at halting
 * @param examplesPerSecond batch slots processed per second in this step
 * @param seconds wall time of this step (the training wall clock is their sum; evaluations excluded)
 * @param depth the recursion depth this step trained at (a depth curriculum's stage, else the model's)
 */
public record StepMetrics(long step, double lr, double loss, double lmLoss, double qHaltLoss, long halted,
        double accuracy, double exactAccuracy, double qHaltAccuracy, double meanSteps, double examplesPerSecond,
        double seconds, io.github.trm4j.model.Depth depth) {

    /** The sums one forward pass contributes; added over micro-batches, then turned into {@link StepMetrics}. */
    record Sums(double total, double lm, double qHalt, long count, double accuracy, long exact, long qHaltRight, long steps) {
        static final Sums ZERO = new Sums(0, 0, 0, 0, 0, 0, 0, 0);

        Sums plus(Sums o) {
            return new Sums(total + o.total, lm + o.lm, qHalt + o.qHalt, count + o.count, accuracy + o.accuracy,
                    exact + o.exact, qHaltRight + o.qHaltRight, steps + o.steps);
        }

        StepMetrics finish(long step, double lr, int globalBatch, double seconds, io.github.trm4j.model.Depth depth) {
            double n = count;
            return new StepMetrics(step, lr, total / globalBatch, lm / globalBatch, qHalt / globalBatch, count,
                    accuracy / n, exact / n, qHaltRight / n, steps / n, globalBatch / seconds, seconds, depth);
        }
    }

    /** One metrics.jsonl line; averages over zero halted slots are written as null. */
    ObjectNode toJson() {
        ObjectNode o = TrainConfig.JSON.createObjectNode();
        o.put("type", "train");
        o.put("step", step);
        o.put("lr", lr);
        o.put("loss", loss);
        o.put("lm_loss", lmLoss);
        o.put("q_halt_loss", qHaltLoss);
        o.put("halted", halted);
        putAverage(o, "accuracy", accuracy);
        putAverage(o, "exact_accuracy", exactAccuracy);
        putAverage(o, "q_halt_accuracy", qHaltAccuracy);
        putAverage(o, "mean_steps", meanSteps);
        o.put("examples_per_s", Math.round(examplesPerSecond * 100) / 100.0);
        o.put("seconds", Math.round(seconds * 1e4) / 1e4);
        o.put("T", depth.recursions());
        o.put("n", depth.latentSteps());
        return o;
    }

    private static void putAverage(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) o.put(key, v);
        else o.putNull(key);
    }
}
