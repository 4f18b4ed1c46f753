package io.github.trm4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trm4j.InputException;
import io.github.trm4j.data.PuzzleDataset;
import io.github.trm4j.model.Checkpoint;
import io.github.trm4j.model.ComputeDevice;
import io.github.trm4j.model.DtypeChoice;
import io.github.trm4j.model.Hardware;
import io.github.trm4j.model.ModelConfig;
import io.github.trm4j.model.ModelConfig.ForwardDtype;
import io.github.trm4j.model.OfficialCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.bytedeco.pytorch.Tensor;

/**
 * A fully resolved training run: where the architecture, the recipe and the first weights come
 * from, checked against the dataset before any work is done.
 *
 * <p>Sources, in order: {@code --resume} takes everything from the run's {@code last.safetensors}.
 * Otherwise the architecture comes from {@code --preset} or {@code --config}, else from the
 * {@code --init-from} checkpoint (its {@code all_config.yaml} or its metadata); the recipe from the
 * same place ({@code --preset}: the paper's recipe for that task). Command-line values override.
 * Without weights to load, the vocabulary, sequence length and puzzle-id count come from the dataset,
 * as in the official trainer; with weights, they must agree with it.
 *
 * @param initWeights first weights (official names), or null for a fresh initialisation
 * @param resumed the saved state of a resumed run, or null
 * @param dtype the forward dtype the model computes in, and why
 */
record TrainPlan(ModelConfig model, TrainConfig train, PuzzleDataset trainSplit, PuzzleDataset testSplit,
        Map<String, Tensor> initWeights, RunState.Saved resumed, long totalSteps, TrainRequest request,
        ComputeDevice device, Path out, DtypeChoice dtype, Map<String, PuzzleDataset> evalSets) {

    static TrainPlan resolve(TrainRequest r) {
        if (r.resume() != null) return resumePlan(r);
        if (r.out() == null) throw new InputException("--out: required (the run folder)");
        if (r.data() == null) throw new InputException("--data: required (a dataset folder with train/)");
        if (r.preset() != null && r.config() != null) throw new InputException("--preset and --config: give one, not both");
        if (r.preset() == null && r.config() == null && r.initFrom() == null)
            throw new InputException("give --preset NAME, --config all_config.yaml or --init-from CHECKPOINT");
        RunFolder.checkNewRun(r.out(), r.force());
        PuzzleDataset train = PuzzleDataset.open(r.data(), "train");
        PuzzleDataset test = openTest(r.data());

        ModelConfig model = null;
        TrainConfig recipe = null;
        JsonNode yamlRoot = null;
        if (r.preset() != null) {
            model = ModelConfig.preset(r.preset());
            recipe = TrainConfig.paper(r.preset());
        } else if (r.config() != null) {
            OfficialCheckpoint.Config yaml = OfficialCheckpoint.readConfig(r.config());
            yamlRoot = yaml.tree();
            recipe = TrainConfig.fromOfficial(yamlRoot, r.config().toString());
        }
        Map<String, Tensor> weights = null;
        if (r.initFrom() != null) {
            Checkpoint ckpt = Checkpoint.load(r.initFrom());
            weights = RunState.FORMAT.equals(ckpt.metadata().get("format")) ? RunState.rawWeights(ckpt.tensors()) : ckpt.tensors();
            ModelConfig fromCkpt = checkpointModel(ckpt, r.config() != null ? yamlRoot : null, train);
            if (model == null) model = fromCkpt;
            else model = model.withData(fromCkpt.vocabSize(), fromCkpt.seqLen(), fromCkpt.numPuzzleIdentifiers());
            if (recipe == null) recipe = checkpointRecipe(ckpt);
            if (yamlRoot == null && r.preset() == null)
                yamlRoot = ckpt.officialConfig().map(OfficialCheckpoint.Config::tree).orElse(null);
        } else if (model == null) {
            model = yamlModel(yamlRoot, train, r.config());
        } else {
            model = model.withData(train.metadata().vocabSize(), train.metadata().seqLen(), train.metadata().numPuzzleIdentifiers());
        }
        if (weights != null && r.arch().changesShapes())
            throw new InputException("--init-from: the weights fix the widths; --hidden-size, --heads, --expansion and --layers cannot change them");
        DtypeChoice dtype = DtypeChoice.resolve(r.dtype(), device(r));
        model = r.arch().applyTo(dtype.apply(overrideModel(model, r)));
        recipe = overrideRecipe(recipe, r);
        recipe = curriculum(recipe, r.extras(), model);
        checkData(model, train, r.data());
        if (test != null) checkData(model, test, r.data());
        long total = totalSteps(r, recipe, train, yamlRoot);
        return new TrainPlan(model, recipe, train, test, weights, null, total, r, device(r), r.out(), dtype, evalSets(r, model));
    }

    private static TrainPlan resumePlan(TrainRequest r) {
        Path dir = r.resume();
        if (r.out() != null && !r.out().toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize()))
            throw new InputException("--out: a resumed run continues in its own folder " + dir + ", not " + r.out());
        if (!Files.isRegularFile(dir.resolve(RunState.LAST)) && Files.exists(dir.resolve(RunFolder.LOCK)))
            throw new InputException("--resume: " + dir + " has no checkpoint (the run was stopped while starting);"
                    + " rerun the command that started it, without --resume, to start it over");
        if (!Files.isRegularFile(dir.resolve(RunState.LAST)))
            throw new InputException("--resume: " + dir.resolve(RunState.LAST) + " is missing (is " + dir + " a run folder?)");
        for (Object changed : new Object[] {r.preset(), r.config(), r.initFrom(), r.batchSize(), r.lr(), r.warmupSteps(),
                r.lrMinRatio(), r.weightDecay(), r.puzzleEmbLr(), r.puzzleEmbWeightDecay(), r.emaRate(), r.haltExplorationProb(),
                r.seed(), r.loss(), r.arch().isEmpty() ? null : r.arch(), r.extras().depthCurriculum(), r.extras().supervisionDecay()}) {
            if (changed != null)
                throw new InputException("--resume: the model and recipe come from " + dir.resolve(RunState.LAST)
                        + "; only --data, --max-steps/--epochs, --micro-batch, the intervals, --eval-limit, --dtype and --device may be given");
        }
        if (r.noEma()) throw new InputException("--no-ema: cannot change on --resume");
        RunState.Saved saved = RunState.read(dir);
        Path data = r.data() != null ? r.data() : dir.resolve(saved.dataset()).normalize();
        PuzzleDataset train = PuzzleDataset.open(data, "train");
        PuzzleDataset test = openTest(data);
        TrainConfig recipe = saved.train();
        if (r.microBatch() != null) recipe = recipe.withBatch(recipe.globalBatchSize(), r.microBatch());
        checkData(saved.model(), train, data);
        if (test != null) checkData(saved.model(), test, data);
        long total = r.maxSteps() != null || r.epochs() != null ? totalSteps(r, recipe, train, null) : saved.totalSteps();
        if (total < saved.step())
            throw new InputException("--max-steps: " + total + " is before the saved step " + saved.step());
        DtypeChoice dtype = resumeDtype(r, saved, device(r), Hardware.probe());
        return new TrainPlan(dtype.apply(saved.model()), recipe, train, test, null, saved, total, r, device(r), dir, dtype,
                evalSets(r, saved.model()));
    }

    /**
     * A resumed run keeps its dtype where the hardware computes it natively, so that it continues bit
     * for bit; a bf16 run on a device without native bf16 continues in fp32, and {@code --dtype} decides
     * when given. Either change is said in the reason: the continuation is then not bit-identical.
     */
    static DtypeChoice resumeDtype(TrainRequest r, RunState.Saved saved, ComputeDevice device, Hardware hw) {
        ForwardDtype was = saved.model().forwardDtype();
        if (r.dtype() != null) {
            DtypeChoice c = DtypeChoice.resolve(r.dtype(), device, hw);
            if (c.dtype() == was) return c;
            return new DtypeChoice(c.dtype(), c.reason() + "; the run computed in " + was.label() + " until step " + saved.step()
                    + ", so it does not continue bit for bit", c.nativeSpeed());
        }
        if (was == ForwardDtype.FLOAT32 || DtypeChoice.nativeBf16(device, hw))
            return DtypeChoice.fixed(was, "the run's own dtype");
        DtypeChoice auto = DtypeChoice.resolve("auto", device, hw);
        return DtypeChoice.fixed(ForwardDtype.FLOAT32, "the run computed in bf16 until step " + saved.step() + ", but "
                + auto.reason() + ", so it continues in fp32, not bit for bit");
    }

    private static ComputeDevice device(TrainRequest r) {
        return r.device() == null ? ComputeDevice.CPU : ComputeDevice.parse(r.device());
    }

    /** Whether an evaluation has anything to score: a test split or --eval-data sets. */
    boolean scoresSomething() {
        return testSplit != null || !evalSets.isEmpty();
    }

    /** The --eval-data sets: each folder's test/ split, else its train/ split, checked against the model. */
    private static Map<String, PuzzleDataset> evalSets(TrainRequest r, ModelConfig model) {
        Map<String, PuzzleDataset> sets = new java.util.LinkedHashMap<>();
        r.extras().evalSets().forEach((name, dir) -> {
            if (!name.matches("[A-Za-z0-9._-]+"))
                throw new InputException("--eval-data: name '" + name + "' must be letters, digits, '.', '_' or '-' (NAME=DIR)");
            PuzzleDataset set = openTest(dir);
            if (set == null) set = PuzzleDataset.open(dir, "train");
            checkData(model, set, dir);
            sets.put(name, set);
        });
        return sets;
    }

    private static PuzzleDataset openTest(Path data) {
        return Files.isDirectory(data.resolve("test")) ? PuzzleDataset.open(data, "test") : null;
    }

    /** The architecture of a checkpoint: its all_config.yaml (or the one given), else trm4j's metadata. */
    private static ModelConfig checkpointModel(Checkpoint ckpt, JsonNode givenYaml, PuzzleDataset train) {
        JsonNode arch = givenYaml != null ? givenYaml.get("arch")
                : ckpt.officialConfig().map(OfficialCheckpoint.Config::arch).orElse(null);
        if (arch != null) return ModelConfig.fromOfficial(arch, ckpt.shapes(), OptionalInt.of(train.metadata().seqLen()));
        return ModelConfig.fromJson(ckpt.config().orElseThrow(() -> new InputException(ckpt.file()
                + ": has no model config (no all_config.yaml beside it and no 'config' metadata); give --preset or --config")));
    }

    private static TrainConfig checkpointRecipe(Checkpoint ckpt) {
        if (ckpt.officialConfig().isPresent())
            return TrainConfig.fromOfficial(ckpt.officialConfig().get().tree(), ckpt.officialConfig().get().file().toString());
        String saved = ckpt.metadata().get("train_config");
        return saved != null ? TrainConfig.fromJson(saved, ckpt.file().toString()) : TrainConfig.paper("");
    }

    /** The arch: section of a YAML with the dataset's sizes, as the official trainer fills them in. */
    private static ModelConfig yamlModel(JsonNode root, PuzzleDataset train, Path file) {
        ObjectNode arch = ((ObjectNode) root.get("arch")).deepCopy();
        var m = train.metadata();
        arch.put("vocab_size", m.vocabSize());
        arch.put("seq_len", m.seqLen());
        arch.put("num_puzzle_identifiers", m.numPuzzleIdentifiers());
        int hidden = arch.path("hidden_size").asInt(0);
        int ndim = arch.path("puzzle_emb_ndim").asInt(0);
        int len = arch.path("puzzle_emb_len").asInt(16);
        if (len == 0 || ndim == 0) len = hidden == 0 ? 0 : (ndim + hidden - 1) / hidden;
        // the mapping reads sizes from tensor shapes; without a checkpoint, describe the ones it needs
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("embed_tokens.embedding_weight", new long[] {m.vocabSize(), hidden});
        shapes.put("L_level.layers.0.mlp_t.gate_up_proj.weight", new long[] {1, m.seqLen() + len});
        shapes.put("puzzle_emb.weights", new long[] {m.numPuzzleIdentifiers(), ndim});
        try {
            return ModelConfig.fromOfficial(arch, shapes, OptionalInt.of(m.seqLen()));
        } catch (InputException e) {
            throw new InputException(file + ": " + e.getMessage(), e);
        }
    }

    private static ModelConfig overrideModel(ModelConfig c, TrainRequest r) {
        if (r.haltExplorationProb() != null) {
            c = new ModelConfig(c.hiddenSize(), c.numHeads(), c.expansion(), c.layers(), c.latentSteps(), c.recursions(),
                    c.supervisionSteps(), r.haltExplorationProb(), c.puzzleEmbNdim(), c.puzzleEmbLen(), c.posEncodings(),
                    c.ropeTheta(), c.rmsNormEps(), c.mixer(), c.forwardDtype(), c.vocabSize(), c.seqLen(), c.numPuzzleIdentifiers());
        }
        return c;
    }

    private static TrainConfig overrideRecipe(TrainConfig t, TrainRequest r) {
        int batch = r.batchSize() != null ? r.batchSize() : t.globalBatchSize();
        t = t.withBatch(batch, r.microBatch() != null ? r.microBatch() : batch);
        t = t.withLr(or(r.lr(), t.lr()), or(r.warmupSteps(), t.warmupSteps()), or(r.lrMinRatio(), t.lrMinRatio()),
                or(r.weightDecay(), t.weightDecay()));
        t = t.withPuzzleEmb(or(r.puzzleEmbLr(), t.puzzleEmbLr()), or(r.puzzleEmbWeightDecay(), t.puzzleEmbWeightDecay()));
        t = t.withEma(!r.noEma() && (t.ema() || r.emaRate() != null), or(r.emaRate(), t.emaRate()));
        if (r.loss() != null) t = t.withLoss(r.loss());
        if (r.seed() != null) t = t.withSeed(r.seed());
        return t;
    }

    /**
     * The depth curriculum and supervision decay of the command line over those of the recipe (a
     * checkpoint's, for --init-from): "off" and W = 1 turn them off; a stage deeper than the model is refused.
     */
    static TrainConfig curriculum(TrainConfig t, TrainRequest.Extras e, ModelConfig model) {
        java.util.List<DepthCurriculum.Stage> stages = t.depthCurriculum();
        if (e.depthCurriculum() != null) {
            String given = e.depthCurriculum().trim();
            stages = given.equalsIgnoreCase("off") ? null : DepthCurriculum.parse(given);
            // the default stages are the paper model's; a shallower model runs them capped at its own depth
            if (given.equalsIgnoreCase("default")) stages = DepthCurriculum.capped(stages, model);
        }
        if (stages != null) {
            for (DepthCurriculum.Stage s : stages) {
                if (s.recursions() > model.recursions() || s.latentSteps() > model.latentSteps())
                    throw new InputException("--depth-curriculum: stage " + s + " is deeper than the model's T=" + model.recursions()
                            + ", n=" + model.latentSteps() + " (stages run shallower recursions first); give stages up to the model's depth");
            }
        }
        Double decay = e.supervisionDecay() != null ? e.supervisionDecay() : t.supervisionDecay();
        if (decay != null && decay == 1.0) decay = null;
        return t.withCurriculum(stages, decay);
    }

    private static <T> T or(T given, T fallback) {
        return given != null ? given : fallback;
    }

    /** Refuses a dataset the model cannot read: vocabulary, sequence length, puzzle ids beyond the table. */
    static void checkData(ModelConfig model, PuzzleDataset split, Path data) {
        var m = split.metadata();
        String where = "--data " + split.dir();
        if (m.vocabSize() != model.vocabSize())
            throw new InputException(where + ": vocab_size " + m.vocabSize() + " differs from the model's vocabulary " + model.vocabSize());
        if (m.seqLen() != model.seqLen())
            throw new InputException(where + ": seq_len " + m.seqLen() + " differs from the model's sequence length " + model.seqLen());
        int maxId = 0;
        for (int p = 0; p < split.puzzles(); p++) maxId = Math.max(maxId, split.puzzleIdentifier(p));
        if (model.puzzleEmbNdim() > 0 && maxId >= model.numPuzzleIdentifiers())
            throw new InputException(where + ": puzzle identifier " + maxId + " is beyond the model's puzzle table of "
                    + model.numPuzzleIdentifiers() + " rows");
    }

    /** --max-steps; else --epochs (or the YAML's epochs) converted as the official trainer does (spec 4.2). */
    private static long totalSteps(TrainRequest r, TrainConfig t, PuzzleDataset train, JsonNode yaml) {
        if (r.maxSteps() != null && r.epochs() != null) throw new InputException("--max-steps and --epochs: give one, not both");
        if (r.maxSteps() != null) {
            if (r.maxSteps() < 1) throw new InputException("--max-steps: must be at least 1, got " + r.maxSteps());
            return r.maxSteps();
        }
        Double epochs = r.epochs();
        if (epochs == null && yaml != null && yaml.path("epochs").isNumber()) epochs = yaml.path("epochs").asDouble();
        if (epochs == null) throw new InputException("give --max-steps N or --epochs E");
        if (!(epochs > 0)) throw new InputException("--epochs: must be positive, got " + epochs);
        var m = train.metadata();
        long steps = (long) Math.floor(epochs * m.totalGroups() * m.meanPuzzleExamples() / t.globalBatchSize());
        if (steps < 1) throw new InputException("--epochs " + epochs + ": less than one batch of " + t.globalBatchSize()
                + " from " + m.totalGroups() + " groups; give more epochs or --max-steps");
        return steps;
    }
}
