package io.github.trm4j.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trm4j.AtomicOutput;
import io.github.trm4j.InputException;
import io.github.trm4j.data.PuzzleDataset;
import io.github.trm4j.model.ModelConfig;
import io.github.trm4j.solve.Ensemble;
import io.github.trm4j.solve.ModelLoader;
import io.github.trm4j.solve.PuzzleKind;
import io.github.trm4j.solve.ShippedModel;
import io.github.trm4j.solve.Thinking;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.bytedeco.javacpp.PointerScope;

/**
 * {@code trm bench think}: accuracy against K for every selection rule, for noisy trajectories,
 * symmetric copies and both, on one dataset split; optionally a σ sweep. Writes {@code results.json},
 * {@code results.md} (the tables of docs/eval.md) and {@code accuracy-vs-compute.png}.
 * Each configuration is one run at the largest K; smaller K use its first candidates.
 */
public final class ThinkBenchmark {
    private ThinkBenchmark() {}

    /** Which candidates a configuration adds. */
    public enum Mode {
        TRAJECTORIES, AUGMENT, BOTH;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** "trajectories", "augment" or "both"; else an InputException naming --modes. */
        public static Mode parse(String s) {
            for (Mode m : values()) if (m.label().equals(s)) return m;
            throw new InputException("--modes: expected trajectories, augment or both, got '" + s + "'");
        }

        /** (K₁, K₂) for K candidates; BOTH splits K as evenly as powers allow (16 = 4 × 4, 64 = 8 × 8). */
        int[] split(int k) {
            return switch (this) {
                case TRAJECTORIES -> new int[] {k, 1};
                case AUGMENT -> new int[] {1, k};
                case BOTH -> {
                    int a = (int) Math.round(Math.sqrt(k));
                    while (k % a != 0) a--;
                    yield new int[] {k / a, a};
                }
            };
        }
    }

    /**
     * @param checkpoint null for the shipped model
     * @param sigmas if not empty, a σ sweep of trajectories at K (instead of the modes)
     */
    public record Request(Path checkpoint, Path data, String split, String name, long limit, int steps, int k, List<Mode> modes,
                          double noise, List<Double> sigmas, int batchSize, long seed, io.github.trm4j.model.DtypeChoice dtype, Path out, boolean force) {
        public Request {
            if (k < 1) throw new InputException("--k: must be at least 1, got " + k);
            if (limit < 1) throw new InputException("--limit: must be at least 1, got " + limit);
            modes = List.copyOf(modes);
            sigmas = List.copyOf(sigmas);
            for (double s : sigmas) if (!(s >= 0)) throw new InputException("--sigmas: must be >= 0, got " + s);
        }
    }

    private record Config(Mode mode, double sigma) {}

    /** One configuration's run: its label, what it ran, its curves, its wall clock. */
    public record Run(String label, Mode mode, double sigma, EnsembleScoring.Result result, double seconds, long puzzles) {}

    public static List<Run> run(Request r, Consumer<String> log) {
        PuzzleDataset split = PuzzleDataset.open(r.data(), r.split());
        Evaluate.Kind kind = Evaluate.kind(r.data(), r.split(), split.metadata());
        PuzzleKind puzzleKind = puzzleKind(kind, "--data");
        Path tmp = AtomicOutput.beginDirectory(r.out(), "think", r.force());
        try (PointerScope scope = new PointerScope()) {
            // without --checkpoint: the shipped model of the data's kind, named by its name
            Path model = r.checkpoint() == null ? Path.of(ShippedModel.of(puzzleKind).name()) : r.checkpoint();
            ModelLoader.Loaded loaded = r.checkpoint() == null ? ShippedModel.of(puzzleKind).load(r.dtype())
                    : ModelLoader.load(r.checkpoint(), null, OptionalInt.of(split.metadata().seqLen()), r.dtype(),
                            io.github.trm4j.model.ComputeDevice.CPU);
            Evaluate.checkFits(model, loaded.config(), split);
            int steps = r.steps() > 0 ? r.steps() : loaded.config().supervisionSteps();
            Scoring.Options options = new Scoring.Options(steps, false, r.batchSize(), r.limit());
            List<Run> runs = new ArrayList<>();
            List<Config> configs = new ArrayList<>();
            if (r.sigmas().isEmpty()) for (Mode m : r.modes()) configs.add(new Config(m, r.noise()));
            else for (double s : r.sigmas()) configs.add(new Config(Mode.TRAJECTORIES, s));
            for (Config cfg : configs) {
                Mode mode = cfg.mode();
                double sigma = cfg.sigma();
                int[] ks = mode.split(r.k());
                Thinking t = Thinking.trajectories(ks[0], Thinking.Select.Q).withAugment(ks[1]).withNoise(sigma).withSeed(r.seed());
                long start = System.nanoTime();
                EnsembleScoring.Result res = EnsembleScoring.score(loaded.model(), puzzleKind, split, options, t, EvalShard.alone(), null, null);
                double seconds = (System.nanoTime() - start) / 1e9;
                String label = r.sigmas().isEmpty() ? mode.label() : String.format(Locale.ROOT, "sigma %.2f", sigma);
                Run run = new Run(label, mode, sigma, res, seconds, res.scores().examples());
                runs.add(run);
                log.accept(line(r.name(), run));
            }
            writeJson(tmp.resolve("results.json"), json(r, model, loaded.config(), runs));
            write(tmp.resolve("results.md"), table(r, runs));
            plot(tmp.resolve("accuracy-vs-compute.png"), r, runs);
            AtomicOutput.commitDirectory(tmp, r.out());
            return runs;
        } catch (RuntimeException | Error e) {
            AtomicOutput.abandon(tmp);
            throw e;
        }
    }

    static PuzzleKind puzzleKind(Evaluate.Kind kind, String field) {
        return switch (kind) {
            case SUDOKU -> PuzzleKind.SUDOKU;
            case MAZE -> PuzzleKind.MAZE;
            default -> throw new InputException(field + ": thinking harder (--trajectories, --augment) is for Sudoku and maze datasets, this is "
                    + kind.label());
        };
    }

    private static String line(String name, Run run) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s %s: %d puzzles, %.0f s;", name, run.label(), run.puzzles(), run.seconds()));
        run.result().curves().forEach((rule, points) -> {
            b.append(' ').append(rule.label()).append(':');
            for (EnsembleScoring.Point p : points) b.append(String.format(Locale.ROOT, " K%d %.1f%%", p.k(), 100 * p.exactAccuracy()));
        });
        return b.toString();
    }

    /** The markdown table: one row per (configuration, rule), one column per K. */
    static String table(Request r, List<Run> runs) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s: %d puzzles (%s, split %s), %d supervision steps, exact accuracy by K%n%n", r.name(),
                runs.isEmpty() ? 0 : runs.get(0).puzzles(), r.data(), r.split(), runs.isEmpty() ? 0 : runs.get(0).result().scores().steps()));
        List<Integer> ks = new ArrayList<>();
        for (Run run : runs) for (EnsembleScoring.Point p : run.result().curves().get(Thinking.Select.Q)) if (!ks.contains(p.k())) ks.add(p.k());
        ks.sort(null);
        b.append("| configuration | σ | rule |");
        for (int k : ks) b.append(" K=").append(k).append(" |");
        b.append(" net calls/puzzle at K=").append(r.k()).append(" | s/puzzle |\n|---|---|---|");
        b.append("---|".repeat(ks.size())).append("---|---|\n");
        for (Run run : runs) {
            for (Thinking.Select rule : Thinking.Select.values()) {
                b.append(String.format(Locale.ROOT, "| %s | %.2f | %s |", run.mode().label() + kLabel(run), run.sigma(), rule.label()));
                for (int k : ks) {
                    EnsembleScoring.Point p = run.result().curves().get(rule).stream().filter(q -> q.k() == k).findFirst().orElse(null);
                    b.append(p == null ? " |" : String.format(Locale.ROOT, " %.1f%% |", 100 * p.exactAccuracy()));
                }
                b.append(String.format(Locale.ROOT, " %.0f | %.2f |%n", run.result().netCallsPerPuzzle(), run.seconds() / Math.max(1, run.puzzles())));
            }
        }
        return b.toString();
    }

    private static String kLabel(Run run) {
        Thinking t = run.result().thinking();
        return String.format(Locale.ROOT, " (%d×%d)", t.trajectories(), t.augment());
    }

    private static ObjectNode json(Request r, Path model, ModelConfig config, List<Run> runs) {
        ObjectNode o = EvalScores.JSON.createObjectNode();
        o.put("name", r.name());
        o.put("data", r.data().toAbsolutePath().normalize().toString());
        o.put("split", r.split());
        o.put("checkpoint", model.toString());
        o.put("dtype", config.forwardDtype().label());
        o.put("net_calls_per_step", Ensemble.netCallsPerStep(config));
        ArrayNode a = o.putArray("runs");
        for (Run run : runs) {
            ObjectNode e = run.result().toJson();
            e.put("label", run.label());
            e.put("mode", run.mode().label());
            e.put("puzzles", run.puzzles());
            e.put("exact_accuracy", run.result().scores().exactAccuracy());
            e.put("seconds", run.seconds());
            a.add(e);
        }
        return o;
    }

    private static final Color[] COLOURS = {LineChart.BLUE, LineChart.ORANGE, LineChart.GREEN, LineChart.RED, new Color(0x94, 0x67, 0xbd),
        new Color(0x8c, 0x56, 0x4b), new Color(0xe3, 0x77, 0xc2), new Color(0x7f, 0x7f, 0x7f), new Color(0xbc, 0xbd, 0x22), new Color(0x17, 0xbe, 0xcf)};

    private static void plot(Path file, Request r, List<Run> runs) {
        LineChart chart = new LineChart(String.format(Locale.ROOT, "%s, %d puzzles: accuracy against compute", r.name(),
                runs.isEmpty() ? 0 : runs.get(0).puzzles()), "log2(network calls per puzzle), all candidates", "exact accuracy");
        int i = 0;
        for (Run run : runs) {
            for (Thinking.Select rule : Thinking.Select.values()) {
                List<EnsembleScoring.Point> pts = run.result().curves().get(rule);
                double[] x = new double[pts.size()], y = new double[pts.size()];
                for (int j = 0; j < x.length; j++) {
                    x[j] = Math.log(pts.get(j).netCallsPerPuzzle()) / Math.log(2);
                    y[j] = pts.get(j).exactAccuracy();
                }
                String label = String.format(Locale.ROOT, "%s, %s (K=%d: %.1f%%)", run.label(), rule.label(), r.k(), 100 * y[y.length - 1]);
                chart.add(new LineChart.Series(label, COLOURS[i++ % COLOURS.length], x, y, true));
            }
        }
        chart.write(file);
    }

    private static void writeJson(Path file, ObjectNode o) {
        try {
            EvalScores.JSON.writeValue(file.toFile(), o);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
