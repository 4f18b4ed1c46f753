package io.github.trm4j.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.trm4j.InputException;

/**
 * The training recipe (spec 4): batch, both optimizers, schedule, EMA and loss. The architecture
 * lives in {@link io.github.trm4j.model.ModelConfig}; this record is everything else a run needs to
 * reproduce its updates. It is stored in every training checkpoint.
 *
 * @param globalBatchSize slots B of the ACT carry, and the divisor of the loss (official {@code global_batch_size})
 * @param microBatch slots per forward pass; B / microBatch passes are accumulated into one update
 * @param lr AdamATan2 learning rate after warm-up
 * @param warmupSteps linear warm-up of both rates (official {@code lr_warmup_steps})
 * @param lrMinRatio cosine floor as a fraction of the rate; 1 = constant after warm-up
 * @param weightDecay decoupled weight decay of AdamATan2
 * @param beta1 AdamATan2 β1
 * @param beta2 AdamATan2 β2
 * @param puzzleEmbLr sign-SGD learning rate of the puzzle-embedding rows
 * @param puzzleEmbWeightDecay sign-SGD decoupled weight decay
 * @param ema keep an exponential moving average of the weights (used for evaluation and the model file)
 * @param emaRate EMA μ
 * @param loss token loss
 * @param seed seeds the data stream and the halting exploration
 * @param depthCurriculum the stages of a depth curriculum ({@link DepthCurriculum}), or null for none
 * @param supervisionDecay W: the loss of a sequence's k-th supervision step (k from 0) weighted by W^k,
 *     normalised so that the mean weight over N_sup steps is 1; null for none (every step weight 1)
 */
public record TrainConfig(
        int globalBatchSize,
        int microBatch,
        double lr,
        long warmupSteps,
        double lrMinRatio,
        double weightDecay,
        double beta1,
        double beta2,
        double puzzleEmbLr,
        double puzzleEmbWeightDecay,
        boolean ema,
        double emaRate,
        LossKind loss,
        long seed,
        java.util.List<DepthCurriculum.Stage> depthCurriculum,
        Double supervisionDecay) {

    static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

    public TrainConfig {
        check(globalBatchSize >= 1, "--batch-size", "must be at least 1, got " + globalBatchSize);
        check(microBatch >= 1 && globalBatchSize % microBatch == 0, "--micro-batch",
                "must divide the batch size " + globalBatchSize + ", got " + microBatch);
        check(lr >= 0 && Double.isFinite(lr), "--lr", "must be finite and >= 0, got " + lr);
        check(warmupSteps >= 0, "--warmup-steps", "must be >= 0, got " + warmupSteps);
        check(lrMinRatio >= 0 && lrMinRatio <= 1, "--lr-min-ratio", "must be in [0, 1], got " + lrMinRatio);
        check(weightDecay >= 0 && Double.isFinite(weightDecay), "--weight-decay", "must be finite and >= 0, got " + weightDecay);
        check(beta1 >= 0 && beta1 < 1, "beta1", "must be in [0, 1), got " + beta1);
        check(beta2 >= 0 && beta2 < 1, "beta2", "must be in [0, 1), got " + beta2);
        check(puzzleEmbLr >= 0 && Double.isFinite(puzzleEmbLr), "--puzzle-emb-lr", "must be finite and >= 0, got " + puzzleEmbLr);
        check(puzzleEmbWeightDecay >= 0 && Double.isFinite(puzzleEmbWeightDecay), "--puzzle-emb-weight-decay",
                "must be finite and >= 0, got " + puzzleEmbWeightDecay);
        check(emaRate >= 0 && emaRate < 1, "--ema-rate", "must be in [0, 1), got " + emaRate);
        check(loss != null, "loss", "is missing");
        check(supervisionDecay == null || (supervisionDecay > 0 && Double.isFinite(supervisionDecay)), "--supervision-decay",
                "must be finite and > 0, got " + supervisionDecay);
        if (depthCurriculum != null) {
            check(!depthCurriculum.isEmpty(), "--depth-curriculum", "needs at least one stage");
            DepthCurriculum.check(depthCurriculum);
            depthCurriculum = java.util.List.copyOf(depthCurriculum);
        }
    }

    private static void check(boolean ok, String field, String message) {
        if (!ok) throw new InputException(field + ": " + message);
    }

    /**
     * The official recipe for a benchmark family (spec 5): Sudoku and Maze use weight decay 1.0 and
     * puzzle-embedding lr 1e-4 / wd 1.0; ARC (and anything else) the defaults of cfg_pretrain.yaml,
     * 0.1 and 1e-2 / 0.1. Batch 768, warm-up 2000, constant rate, EMA 0.999, seed 0.
     */
    public static TrainConfig paper(String presetName) {
        boolean gridTask = presetName.startsWith("sudoku") || presetName.startsWith("maze");
        return new TrainConfig(768, 768, 1e-4, 2000, 1.0, gridTask ? 1.0 : 0.1, 0.9, 0.95,
                gridTask ? 1e-4 : 1e-2, gridTask ? 1.0 : 0.1, true, 0.999, LossKind.STABLEMAX, 0, null, null);
    }

    /**
     * The training fields of an official {@code all_config.yaml} (its root node). Fields it lacks take
     * the values of the official {@code cfg_pretrain.yaml}; a field of the wrong type is refused.
     */
    public static TrainConfig fromOfficial(JsonNode root, String file) {
        if (root == null || !root.isObject()) throw new InputException(file + ": expected a YAML mapping");
        int batch = (int) number(root, "global_batch_size", 768, file);
        String lossType = root.path("arch").path("loss").path("loss_type").asText("stablemax_cross_entropy");
        LossKind loss = switch (lossType) {
            case "stablemax_cross_entropy" -> LossKind.STABLEMAX;
            case "softmax_cross_entropy" -> LossKind.SOFTMAX;
            default -> throw new InputException(file + ": arch.loss.loss_type '" + lossType + "' is not a known loss");
        };
        return new TrainConfig(batch, batch,
                number(root, "lr", 1e-4, file),
                (long) number(root, "lr_warmup_steps", 2000, file),
                number(root, "lr_min_ratio", 1.0, file),
                number(root, "weight_decay", 0.1, file),
                number(root, "beta1", 0.9, file),
                number(root, "beta2", 0.95, file),
                number(root, "puzzle_emb_lr", 1e-2, file),
                number(root, "puzzle_emb_weight_decay", 0.1, file),
                bool(root, "ema", false, file),
                number(root, "ema_rate", 0.999, file),
                loss,
                (long) number(root, "seed", 0, file), null, null);
    }

    private static double number(JsonNode root, String field, double fallback, String file) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) return fallback;
        if (n.isNumber()) return n.asDouble();
        if (n.isTextual()) { // YAML may quote numbers such as 1e-4
            try {
                return Double.parseDouble(n.asText());
            } catch (NumberFormatException e) {
                // fall through to the error
            }
        }
        throw new InputException(file + ": field '" + field + "' must be a number, got '" + n.asText() + "'");
    }

    private static boolean bool(JsonNode root, String field, boolean fallback, String file) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) return fallback;
        if (n.isBoolean()) return n.asBoolean();
        throw new InputException(file + ": field '" + field + "' must be true or false, got '" + n.asText() + "'");
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static TrainConfig fromJson(String json, String where) {
        try {
            return JSON.readValue(json, TrainConfig.class);
        } catch (JsonProcessingException e) {
            for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof InputException ie) throw ie;
            throw new InputException(where + ": training config: " + e.getOriginalMessage().lines().findFirst().orElse(""), e);
        }
    }

    // withers for command-line overrides
    public TrainConfig withBatch(int batch, int micro) {
        return new TrainConfig(batch, micro, lr, warmupSteps, lrMinRatio, weightDecay, beta1, beta2, puzzleEmbLr,
                puzzleEmbWeightDecay, ema, emaRate, loss, seed, depthCurriculum, supervisionDecay);
    }

    public TrainConfig withLr(double lr, long warmupSteps, double lrMinRatio, double weightDecay) {
        return new TrainConfig(globalBatchSize, microBatch, lr, warmupSteps, lrMinRatio, weightDecay, beta1, beta2,
                puzzleEmbLr, puzzleEmbWeightDecay, ema, emaRate, loss, seed, depthCurriculum, supervisionDecay);
    }

    public TrainConfig withPuzzleEmb(double puzzleEmbLr, double puzzleEmbWeightDecay) {
        return new TrainConfig(globalBatchSize, microBatch, lr, warmupSteps, lrMinRatio, weightDecay, beta1, beta2,
                puzzleEmbLr, puzzleEmbWeightDecay, ema, emaRate, loss, seed, depthCurriculum, supervisionDecay);
    }

    public TrainConfig withEma(boolean ema, double emaRate) {
        return new TrainConfig(globalBatchSize, microBatch, lr, warmupSteps, lrMinRatio, weightDecay, beta1, beta2,
                puzzleEmbLr, puzzleEmbWeightDecay, ema, emaRate, loss, seed, depthCurriculum, supervisionDecay);
    }

    public TrainConfig withLoss(LossKind loss) {
        return new TrainConfig(globalBatchSize, microBatch, lr, warmupSteps, lrMinRatio, weightDecay, beta1, beta2,
                puzzleEmbLr, puzzleEmbWeightDecay, ema, emaRate, loss, seed, depthCurriculum, supervisionDecay);
    }

    public TrainConfig withSeed(long seed) {
        return new TrainConfig(globalBatchSize, microBatch, lr, warmupSteps, lrMinRatio, weightDecay, beta1, beta2,
                puzzleEmbLr, puzzleEmbWeightDecay, ema, emaRate, loss, seed, depthCurriculum, supervisionDecay);
    }

    /** This recipe with a depth curriculum (null: none) and a supervision decay (null: none). */
    public TrainConfig withCurriculum(java.util.List<DepthCurriculum.Stage> depthCurriculum, Double supervisionDecay) {
        return new TrainConfig(globalBatchSize, microBatch, lr, warmupSteps, lrMinRatio, weightDecay, beta1, beta2,
                puzzleEmbLr, puzzleEmbWeightDecay, ema, emaRate, loss, seed, depthCurriculum, supervisionDecay);
    }

    /**
     * The loss weight of supervision step k (0-based) of a sequence: W^k · N / Σ_{j<N} W^j with N = maxSteps,
     * so that the N weights average 1; 1 without a decay.
     */
    double supervisionWeight(int k, int maxSteps) {
        if (supervisionDecay == null) return 1.0;
        double w = supervisionDecay;
        double sum = 0;
        for (int j = 0; j < maxSteps; j++) sum += Math.pow(w, j);
        return Math.pow(w, k) * maxSteps / sum;
    }

    /** The main and puzzle-embedding schedules of a run of {@code totalSteps}. */
    LrSchedule schedule(long totalSteps) {
        return new LrSchedule(lr, warmupSteps, lrMinRatio, totalSteps);
    }

    LrSchedule puzzleSchedule(long totalSteps) {
        return new LrSchedule(puzzleEmbLr, warmupSteps, lrMinRatio, totalSteps);
    }
}
