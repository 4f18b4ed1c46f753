package io.github.trm4j.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trm4j.AtomicOutput;
import io.github.trm4j.InputException;
import io.github.trm4j.Progress;
import io.github.trm4j.Provenance;
import io.github.trm4j.data.ArcReader;
import io.github.trm4j.data.ArcTask;
import io.github.trm4j.data.DatasetMetadata;
import io.github.trm4j.data.NpyType;
import io.github.trm4j.data.NpyWriter;
import io.github.trm4j.data.PuzzleDataset;
import io.github.trm4j.dist.Group;
import io.github.trm4j.model.Checkpoint;
import io.github.trm4j.model.ComputeDevice;
import io.github.trm4j.model.DtypeChoice;
import io.github.trm4j.model.ModelConfig;
import io.github.trm4j.solve.ModelLoader;
import io.github.trm4j.solve.PuzzleKind;
import io.github.trm4j.solve.Thinking;
import java.util.function.Consumer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * {@code trm eval}: scores checkpoints on a dataset split with the paper's protocol (spec 7) and
 * writes {@code metrics.json}, {@code accuracy.png} and, for Sudoku/Maze, {@code predictions.npy};
 * for ARC test splits, votes across augmentations and writes {@code submission.json}.
 * The output folder appears complete or not at all.
 */
public final class Evaluate {
    private Evaluate() {}

    /** What kind of data the split holds, from its files. */
    public enum Kind {
        SUDOKU, MAZE, ARC,
        /** any other token dataset: the generic metrics only */
        TOKENS;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param checkpoints one checkpoint; several only with {@code poolVotes} (evaluated in order)
     * @param officialConfig an official all_config.yaml, or null
     * @param steps supervision steps, null for the model's N_sup
     * @param limit evaluate only the first examples of the split, or null for all
     * @param dtype the forward dtype to compute in (null: auto)
     * @param poolVotes ARC only: keep one vote store across the checkpoints (the official bug #35)
     * @param thinking Sudoku and maze: noisy trajectories and symmetric copies, picked by a rule (plain: {@link Thinking#none()})
     */
    public record Request(List<Path> checkpoints, Path officialConfig, Path data, String split, Integer steps, boolean adaptive,
                          int batchSize, Long limit, DtypeChoice dtype, boolean poolVotes, boolean progress,
                          Path out, boolean force, Thinking thinking) {
        public Request {
            checkpoints = List.copyOf(checkpoints);
            if (thinking == null) thinking = Thinking.none();
        }
    }

    /**
     * @param scores the scores of the last checkpoint
     * @param arc ARC pass@k after the last checkpoint (pooled over all of them with --pool-votes), else null
     * @param arcHistory with --pool-votes, pass@k after each checkpoint (what the official log prints at each evaluation)
     * @param thinking with --trajectories or --augment: the accuracy against K per rule and the compute; else null
     */
    public record Result(Path out, Kind kind, String split, ModelConfig model, EvalScores scores, ArcScores arc,
                         List<ArcScores> arcHistory, List<String> files, EnsembleScoring.Result thinking) {}

    public static Result run(Request r) {
        return run(r, null);
    }

    /**
     * As {@link #run(Request)}, as one rank of {@code group} (null: alone). The ranks score their
     * shares of the split ({@link EvalShard}); rank 0 gathers the answers, votes, and alone writes
     * the output folder. Every rank returns the scores; only rank 0's result has the ARC scores and
     * the files.
     */
    public static Result run(Request r, Group group) {
        if (r.checkpoints().isEmpty()) throw new InputException("--checkpoint: required");
        PuzzleDataset split = PuzzleDataset.open(r.data(), r.split());
        Kind kind = kind(r.data(), r.split(), split.metadata());
        if (r.poolVotes() && kind != Kind.ARC)
            throw new InputException("--pool-votes: only for the test split of an ARC dataset (" + r.data() + " has no test_puzzles.json)");
        if (r.checkpoints().size() > 1 && !r.poolVotes())
            throw new InputException("--checkpoint: given " + r.checkpoints().size() + " times; several checkpoints are only evaluated together with --pool-votes");
        long limit = r.limit() == null ? Long.MAX_VALUE : r.limit();
        // validates --steps, --batch-size and --limit before any work (the steps are re-resolved per model)
        new Scoring.Options(r.steps() == null ? 1 : r.steps(), r.adaptive(), r.batchSize(), limit);
        ArcVotes arcVotes = kind == Kind.ARC ? arcVotes(r.data(), split) : null; // built on every rank to check the files
        PuzzleKind thinkKind = r.thinking().active() ? ThinkBenchmark.puzzleKind(kind, "--trajectories, --augment") : null;
        EnsembleScoring.Result thought = null;
        EvalShard shard = EvalShard.of(group);
        if (group != null) {
            AtomicOutput.checkDirectory(r.out(), "eval", r.force()); // every rank refuses a bad --out, not rank 0 alone
            group.agree("evaluation setup", setup(r, kind, split));
        }
        ArcVotes votes = shard.lead() ? arcVotes : null; // rank 0 votes

        Path tmp = shard.lead() ? AtomicOutput.beginDirectory(r.out(), "eval", r.force()) : null;
        try {
            List<ArcScores> history = new ArrayList<>();
            EvalScores scores = null;
            ModelConfig config = null;
            DtypeChoice dtype = null;
            for (Path checkpoint : r.checkpoints()) {
                try (org.bytedeco.javacpp.PointerScope scope = new org.bytedeco.javacpp.PointerScope()) {
                    ModelLoader.Loaded loaded = ModelLoader.load(checkpoint, r.officialConfig(), OptionalInt.of(split.metadata().seqLen()),
                            r.dtype(), ComputeDevice.CPU);
                    config = loaded.config();
                    dtype = loaded.dtype();
                    checkFits(checkpoint, config, split);
                    Scoring.Options options = new Scoring.Options(r.steps() == null ? config.supervisionSteps() : r.steps(),
                            r.adaptive(), r.batchSize(), limit);
                    long rows = Math.min(limit, split.examples());
                    try (NpyWriter predictions = kind == Kind.ARC || tmp == null ? null
                                : NpyWriter.create(tmp.resolve("predictions.npy"), NpyType.INT32, split.metadata().seqLen());
                         Progress bar = Progress.start("eval", rows, "puzzles", r.progress() && shard.lead())) {
                        Consumer<Scoring.BatchAnswers> sink = b -> {
                            if (predictions != null) predictions.appendInts(b.predictions());
                            if (votes != null) votes.add(b);
                        };
                        if (thinkKind != null) {
                            thought = EnsembleScoring.score(loaded.model(), thinkKind, split, options, r.thinking(), shard, sink, bar);
                            scores = thought.scores();
                        } else {
                            scores = Scoring.score(loaded.model(), split, options, shard, sink, bar);
                        }
                    }
                    if (votes != null) history.add(votes.score());
                }
            }
            if (tmp == null) return new Result(r.out(), kind, r.split(), config, scores, null, List.of(), List.of(), thought);
            ArcScores arc = votes == null ? null : history.get(history.size() - 1);
            List<String> files = new ArrayList<>(List.of("metrics.json", "accuracy.png"));
            if (kind != Kind.ARC) files.add("predictions.npy");
            if (votes != null) {
                files.add("submission.json");
                writeJson(tmp.resolve("submission.json"), votes.submission(), false);
            }
            ObjectNode metrics = metrics(r, kind, config, dtype, scores, arc, history);
            if (thought != null) metrics.set("thinking", thought.toJson());
            writeJson(tmp.resolve("metrics.json"), metrics, true);
            AccuracyPlot.write(tmp.resolve("accuracy.png"), scores, plotTitle(kind, r, scores, arc));
            AtomicOutput.commitDirectory(tmp, r.out());
            return new Result(r.out(), kind, r.split(), config, scores, arc, r.poolVotes() ? List.copyOf(history) : List.of(), files, thought);
        } catch (RuntimeException | Error e) {
            AtomicOutput.abandon(tmp);
            throw e;
        }
    }

    /** What must be the same on every rank of a distributed evaluation. */
    private static String setup(Request r, Kind kind, PuzzleDataset split) {
        return "checkpoints " + r.checkpoints().stream().map(p -> p.toAbsolutePath().normalize().toString()).toList()
                + " config " + (r.officialConfig() == null ? "none" : r.officialConfig().toAbsolutePath().normalize())
                + " data " + r.data().toAbsolutePath().normalize() + " split " + r.split() + " (" + kind.label() + ", "
                + split.examples() + " examples) steps " + r.steps() + (r.adaptive() ? " adaptive" : " fixed") + " batch " + r.batchSize()
                + " limit " + r.limit() + " dtype " + (r.dtype() == null ? "auto" : r.dtype().label()) + (r.poolVotes() ? " pooled votes" : "") + " " + r.thinking()
                + " out " + r.out().toAbsolutePath().normalize();
    }

    /** ARC when the dataset has test_puzzles.json and the test split is evaluated; Sudoku and maze by shape. */
    static Kind kind(Path root, String split, DatasetMetadata meta) {
        if (split.equals("test") && Files.isRegularFile(root.resolve("test_puzzles.json"))) return Kind.ARC;
        if (meta.vocabSize() == 11 && meta.seqLen() == 81) return Kind.SUDOKU;
        if (meta.vocabSize() == 6 && meta.seqLen() == 900) return Kind.MAZE;
        return Kind.TOKENS;
    }

    private static ArcVotes arcVotes(Path root, PuzzleDataset split) {
        List<String> names = split.identifierNames();
        if (names.isEmpty()) throw new InputException(root.resolve("identifiers.json") + ": missing or empty (ARC voting needs the puzzle names)");
        List<ArcTask> tasks = ArcReader.read(root.resolve("test_puzzles.json"), true).tasks();
        return new ArcVotes(tasks, names);
    }

    /** The dataset and the model must agree on vocabulary, sequence length and puzzle identifiers. */
    static void checkFits(Path checkpoint, ModelConfig model, PuzzleDataset split) {
        DatasetMetadata meta = split.metadata();
        Path json = split.dir().resolve("dataset.json");
        if (meta.vocabSize() != model.vocabSize())
            throw new InputException(json + ": vocab_size " + meta.vocabSize() + " does not match the model's " + model.vocabSize() + " (" + checkpoint + ")");
        if (meta.seqLen() != model.seqLen())
            throw new InputException(json + ": seq_len " + meta.seqLen() + " does not match the model's " + model.seqLen() + " (" + checkpoint + ")");
        if (meta.numPuzzleIdentifiers() > model.numPuzzleIdentifiers())
            throw new InputException(json + ": num_puzzle_identifiers " + meta.numPuzzleIdentifiers() + " exceeds the model's puzzle table of "
                    + model.numPuzzleIdentifiers() + " (" + checkpoint + ")");
    }

    private static ObjectNode metrics(Request r, Kind kind, ModelConfig config, DtypeChoice dtype, EvalScores scores, ArcScores arc, List<ArcScores> history) {
        ObjectNode o = EvalScores.JSON.createObjectNode();
        o.put("kind", kind.label());
        o.put("data", Provenance.relative(r.out(), r.data())); // relative to the output folder: reports travel
        o.put("split", r.split());
        if (r.checkpoints().size() == 1) {
            o.put("checkpoint", Provenance.relative(r.out(), r.checkpoints().get(0)));
        } else {
            ArrayNode a = o.putArray("checkpoints");
            r.checkpoints().forEach(c -> a.add(Provenance.relative(r.out(), c)));
        }
        o.put("dtype", dtype.label());
        o.put("dtype_reason", dtype.reason());
        o.put("batch_size", r.batchSize());
        if (r.limit() == null) o.putNull("limit");
        else o.put("limit", r.limit());
        o.put("trm4j_version", Checkpoint.trm4jVersion());
        o.setAll(scores.toJson());
        if (arc != null) {
            ObjectNode a = arc.toJson();
            a.put("voting", r.poolVotes() ? "pooled" : "per-evaluation");
            if (r.poolVotes()) {
                ArrayNode h = a.putArray("pooled_history");
                for (int i = 0; i < history.size(); i++) {
                    ObjectNode e = history.get(i).toJson();
                    e.put("checkpoint", Provenance.relative(r.out(), r.checkpoints().get(i)));
                    h.add(e);
                }
            }
            o.set("arc", a);
        }
        o.set("model", config.toJsonNode());
        return o;
    }

    /** "evaluated on split 'test' of data/magictour (sudoku), 1,465 puzzles, exact 8.7%" and, for ARC, pass@1 and pass@2. */
    private static String plotTitle(Kind kind, Request r, EvalScores s, ArcScores arc) {
        String title = String.format(Locale.ROOT, "evaluated on split '%s' of %s (%s), %,d puzzles, exact %.1f%%", r.split(),
                r.data().toAbsolutePath().normalize().getFileName(), kind.label(), s.examples(), 100 * s.exactAccuracy());
        if (arc == null) return title;
        return title + String.format(Locale.ROOT, ", pass@1 %.1f%%, pass@2 %.1f%%", 100 * arc.passAtK().getOrDefault(1, 0.0),
                100 * arc.passAtK().getOrDefault(2, 0.0));
    }

    private static void writeJson(Path file, Object value, boolean indent) {
        try {
            (indent ? EvalScores.JSON.writer() : EvalScores.JSON.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT))
                    .writeValue(file.toFile(), value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
