package io.github.trm4j.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trm4j.AtomicOutput;
import io.github.trm4j.InputException;
import io.github.trm4j.data.ArcReader;
import io.github.trm4j.data.ArcTask;
import io.github.trm4j.data.DatasetMetadata;
import io.github.trm4j.data.NpyType;
import io.github.trm4j.data.NpyWriter;
import io.github.trm4j.data.PuzzleDataset;
import io.github.trm4j.model.Checkpoint;
import io.github.trm4j.model.ComputeDevice;
import io.github.trm4j.model.ModelConfig;
import io.github.trm4j.solve.ModelLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

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
     * @param dtype forward dtype instead of the checkpoint's, or null
     * @param poolVotes ARC only: keep one vote store across the checkpoints (the official bug #35)
     */
    public record Request(List<Path> checkpoints, Path officialConfig, Path data, String split, Integer steps, boolean adaptive,
                          int batchSize, Long limit, ModelConfig.ForwardDtype dtype, boolean poolVotes, boolean progress,
                          Path out, boolean force) {
        public Request {
            checkpoints = List.copyOf(checkpoints);
        }
    }

    /**
     * @param scores the scores of the last checkpoint
     * @param arc ARC pass@k after the last checkpoint (pooled over all of them with --pool-votes), else null
     * @param arcHistory with --pool-votes, pass@k after each checkpoint (what the official log prints at each evaluation)
     */
    public record Result(Path out, Kind kind, String split, ModelConfig model, EvalScores scores, ArcScores arc,
                         List<ArcScores> arcHistory, List<String> files) {}

    public static Result run(Request r) {
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
        ArcVotes votes = kind == Kind.ARC ? arcVotes(r.data(), split) : null;

        Path tmp = AtomicOutput.beginDirectory(r.out(), "eval", r.force());
        try {
            List<ArcScores> history = new ArrayList<>();
            EvalScores scores = null;
            ModelConfig config = null;
            for (Path checkpoint : r.checkpoints()) {
                try (org.bytedeco.javacpp.PointerScope scope = new org.bytedeco.javacpp.PointerScope()) {
                    ModelLoader.Loaded loaded = ModelLoader.load(checkpoint, r.officialConfig(), OptionalInt.of(split.metadata().seqLen()),
                            r.dtype(), ComputeDevice.CPU);
                    config = loaded.config();
                    checkFits(checkpoint, config, split);
                    Scoring.Options options = new Scoring.Options(r.steps() == null ? config.supervisionSteps() : r.steps(),
                            r.adaptive(), r.batchSize(), limit);
                    long rows = Math.min(limit, split.examples());
                    try (NpyWriter predictions = kind == Kind.ARC ? null
                                : NpyWriter.create(tmp.resolve("predictions.npy"), NpyType.INT32, split.metadata().seqLen());
                         ProgressBar bar = r.progress() ? progressBar(rows) : null) {
                        scores = Scoring.score(loaded.model(), split, options, b -> {
                            if (predictions != null) predictions.appendInts(b.predictions());
                            if (votes != null) votes.add(b);
                        }, bar);
                    }
                    if (votes != null) history.add(votes.score());
                }
            }
            ArcScores arc = votes == null ? null : history.get(history.size() - 1);
            List<String> files = new ArrayList<>(List.of("metrics.json", "accuracy.png"));
            if (kind != Kind.ARC) files.add("predictions.npy");
            if (votes != null) {
                files.add("submission.json");
                writeJson(tmp.resolve("submission.json"), votes.submission(), false);
            }
            writeJson(tmp.resolve("metrics.json"), metrics(r, kind, config, scores, arc, history), true);
            AccuracyPlot.write(tmp.resolve("accuracy.png"), scores, title(kind, r.split(), scores));
            AtomicOutput.commitDirectory(tmp, r.out());
            return new Result(r.out(), kind, r.split(), config, scores, arc, r.poolVotes() ? List.copyOf(history) : List.of(), files);
        } catch (RuntimeException | Error e) {
            AtomicOutput.abandon(tmp);
            throw e;
        }
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

    private static ObjectNode metrics(Request r, Kind kind, ModelConfig config, EvalScores scores, ArcScores arc, List<ArcScores> history) {
        ObjectNode o = EvalScores.JSON.createObjectNode();
        o.put("kind", kind.label());
        o.put("data", r.data().toAbsolutePath().normalize().toString());
        o.put("split", r.split());
        if (r.checkpoints().size() == 1) {
            o.put("checkpoint", r.checkpoints().get(0).toString());
        } else {
            ArrayNode a = o.putArray("checkpoints");
            r.checkpoints().forEach(c -> a.add(c.toString()));
        }
        o.put("dtype", config.forwardDtype() == ModelConfig.ForwardDtype.BFLOAT16 ? "bf16" : "fp32");
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
                    e.put("checkpoint", r.checkpoints().get(i).toString());
                    h.add(e);
                }
            }
            o.set("arc", a);
        }
        o.set("model", config.toJsonNode());
        return o;
    }

    private static String title(Kind kind, String split, EvalScores s) {
        return String.format(Locale.ROOT, "trm eval: %s %s, %,d puzzles, exact accuracy %.1f%%", kind.label(), split, s.examples(),
                100 * s.exactAccuracy());
    }

    private static void writeJson(Path file, Object value, boolean indent) {
        try {
            (indent ? EvalScores.JSON.writer() : EvalScores.JSON.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT))
                    .writeValue(file.toFile(), value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static ProgressBar progressBar(long rows) {
        return new ProgressBarBuilder().setTaskName("eval").setInitialMax(rows).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(500).setUnit(" puzzles", 1)
                .showSpeed().build();
    }
}
