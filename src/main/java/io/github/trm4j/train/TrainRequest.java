package io.github.trm4j.train;

import java.nio.file.Path;

/**
 * What {@code trm train} was asked to do, as given: null means "not given" (use the checkpoint's,
 * the config file's or the preset's value). {@link TrainPlan#resolve} turns it into a plan.
 *
 * @param preset a model preset name (architecture + the paper's recipe for that task)
 * @param config an official {@code all_config.yaml} (architecture + training hyperparameters)
 * @param data dataset folder with {@code train/} (and optionally {@code test/} for evaluation)
 * @param initFrom weights to start from: an official {@code step_N} or a trm4j safetensors checkpoint
 * @param resume a run folder to continue from its {@code last.safetensors}
 * @param maxSteps optimizer steps of the whole run (schedule length)
 * @param epochs alternative to maxSteps: passes over the groups, converted as the official trainer does
 * @param evalInterval evaluate every this many steps (0: only at the end; null: the resumed run's, else 0)
 * @param checkpointInterval write the run files every this many steps (0: only at the end; null: the resumed run's, else 500)
 * @param evalLimit score at most this many test examples per evaluation
 * @param loss token loss override
 * @param dtype forward dtype: auto, bf16 or fp32; null is auto (a resumed run: its own where native)
 * @param device cpu or cuda
 * @param out the run folder
 * @param force replace a non-empty run folder
 * @param progress draw a progress bar on stderr
 * @param arch architecture values given on the command line (null: none)
 * @param extras the depth curriculum, the supervision decay and extra evaluation sets (null: none)
 */
public record TrainRequest(
        String preset, Path config, Path data, Path initFrom, Path resume,
        Long maxSteps, Double epochs, Long evalInterval, Long checkpointInterval, Long evalLimit,
        Integer batchSize, Integer microBatch, Double lr, Long warmupSteps, Double lrMinRatio, Double weightDecay,
        Double puzzleEmbLr, Double puzzleEmbWeightDecay, Double emaRate, boolean noEma, Double haltExplorationProb,
        Long seed, LossKind loss, String dtype, String device, Path out, boolean force, boolean progress, ArchOverride arch,
        Extras extras) {

    public TrainRequest {
        if (arch == null) arch = ArchOverride.NONE;
        if (extras == null) extras = Extras.NONE;
    }

    /**
     * Training options beyond the paper's recipe.
     *
     * @param depthCurriculum {@code --depth-curriculum} as given ("default", "off" or stages like T1n2@0.3), null: not given
     * @param supervisionDecay {@code --supervision-decay W}, null: not given
     * @param evalSets {@code --eval-data NAME=DIR}: more sets scored at every evaluation, in order (never null)
     */
    public record Extras(String depthCurriculum, Double supervisionDecay, java.util.Map<String, Path> evalSets) {
        public static final Extras NONE = new Extras(null, null, java.util.Map.of());

        public Extras {
            evalSets = evalSets == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(evalSets));
        }
    }

    /** This request with {@code extras}. */
    public TrainRequest withExtras(Extras extras) {
        return new TrainRequest(preset, config, data, initFrom, resume, maxSteps, epochs, evalInterval, checkpointInterval,
                evalLimit, batchSize, microBatch, lr, warmupSteps, lrMinRatio, weightDecay, puzzleEmbLr, puzzleEmbWeightDecay,
                emaRate, noEma, haltExplorationProb, seed, loss, dtype, device, out, force, progress, arch, extras);
    }

    /** A request with only the essentials; the rest is defaulted (handy in tests). */
    public static TrainRequest of(String preset, Path data, long maxSteps, Path out) {
        return new TrainRequest(preset, null, data, null, null, maxSteps, null, 0L, 0L, null, null, null, null, null,
                null, null, null, null, null, false, null, null, null, null, null, out, false, false, ArchOverride.NONE, Extras.NONE);
    }

    /** This request with another batch size, learning rate and warm-up (tests). */
    public TrainRequest withOverrides(int batchSize, double lr, long warmupSteps) {
        return new TrainRequest(preset, config, data, initFrom, resume, maxSteps, epochs, evalInterval, checkpointInterval,
                evalLimit, batchSize, microBatch, lr, warmupSteps, lrMinRatio, weightDecay, puzzleEmbLr, puzzleEmbWeightDecay,
                emaRate, noEma, haltExplorationProb, seed, loss, dtype, device, out, force, progress, arch, extras);
    }
}
