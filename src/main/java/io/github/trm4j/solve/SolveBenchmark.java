package io.github.trm4j.solve;

import io.github.trm4j.model.Batch;
import io.github.trm4j.model.ComputeDevice;
import io.github.trm4j.model.DtypeChoice;
import io.github.trm4j.model.ForwardBenchmark;
import io.github.trm4j.model.ModelConfig;
import io.github.trm4j.model.Ops;
import io.github.trm4j.model.ReferenceRun;
import io.github.trm4j.model.TrmModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * {@code trm bench solve}: a model solving Sudokus at batch 1 (the latency of one full solve through
 * the {@link Solver}) and at a large batch (puzzles/s through the evaluation path), against the
 * PyTorch reference doing the same work in the same run. Rounds alternate trm4j and the reference
 * so that a noisy machine hits both alike; each side's best round counts. Not a test.
 */
public final class SolveBenchmark {
    /** The puzzle timed at batch 1 (the cost of a solve does not depend on it). */
    static final String PUZZLE = "..3.2.6..9..3.5..1..18.64....81.29..7.......8..67.82....26.95..8..2.3..9..5.1.3..";

    private SolveBenchmark() {}

    /**
     * @param model the checkpoint (the shipped model by default)
     * @param dtypes forward dtypes to measure
     * @param batches batch sizes; 1 goes through the Solver, others through the evaluation path
     * @param repeat timed solves per round (after one warm-up)
     * @param rounds alternations of trm4j and the reference
     * @param reference the reference's bench_solve.py, or null not to run it
     */
    public record Request(Path model, List<DtypeChoice> dtypes, List<Integer> batches, int repeat, int rounds, Path reference) {}

    /**
     * One measurement: ms per solve of the whole batch (best round), puzzles/s, achieved GFLOP/s and the
     * matmul rate of the same dtype now; {@code torchMs} NaN when the reference did not run.
     */
    public record Result(String dtype, int batch, double ms, double torchMs, double gflops, double matmulGflops) {
        public double puzzlesPerSecond() {
            return batch / (ms / 1e3);
        }

        public double torchPuzzlesPerSecond() {
            return batch / (torchMs / 1e3);
        }

        /** trm4j's time over the reference's: below 1 is faster. */
        public double latencyRatio() {
            return ms / torchMs;
        }

        /** trm4j's puzzles/s over the reference's: above 1 is faster. */
        public double throughputRatio() {
            return torchMs / ms;
        }
    }

    public static List<Result> run(Request r, Consumer<String> log) {
        List<Result> out = new ArrayList<>();
        for (DtypeChoice dtype : r.dtypes()) {
            ModelLoader.Loaded loaded = r.model() == null ? ShippedModel.SUDOKU.load(dtype)
                    : ModelLoader.load(r.model(), null, java.util.OptionalInt.empty(), dtype, ComputeDevice.CPU);
            Solver solver = Solver.of(loaded, "bench");
            ModelConfig c = loaded.config();
            double matmul = ForwardBenchmark.matmulGflops(c.forwardDtype(), 2048, ComputeDevice.CPU);
            log.accept(String.format("%s: matmul 2048^3 %.0f GFLOP/s", dtype.label(), matmul));
            for (int b : r.batches()) {
                double best = Double.MAX_VALUE;
                double torchBest = Double.MAX_VALUE;
                for (int round = 0; round < r.rounds(); round++) {
                    double ms = b == 1 ? timeSolver(solver, r.repeat()) : timeBatch(loaded.model(), b, r.repeat());
                    best = Math.min(best, ms);
                    log.accept(String.format("  %s batch %d round %d: trm4j %.1f ms per solve", dtype.label(), b, round + 1, ms));
                    if (r.reference() != null) {
                        double t = reference(r, loaded.file(), dtype, b, log);
                        if (!Double.isNaN(t)) torchBest = Math.min(torchBest, t);
                    }
                }
                double flop = ForwardBenchmark.flopPerStep(c, b) * c.supervisionSteps();
                out.add(new Result(dtype.label(), b, best, torchBest == Double.MAX_VALUE ? Double.NaN : torchBest,
                        flop / best / 1e6, matmul));
            }
        }
        return out;
    }

    /** ms per solve of one Sudoku through {@link Solver#solve}: the path of trm solve, the demo and the web page. */
    static double timeSolver(Solver solver, int repeat) {
        String puzzle = PUZZLE;
        solver.solve(PuzzleKind.SUDOKU, puzzle, SolveOptions.defaults()); // warm-up
        long t0 = System.nanoTime();
        for (int i = 0; i < repeat; i++) solver.solve(PuzzleKind.SUDOKU, puzzle, SolveOptions.defaults());
        return (System.nanoTime() - t0) / 1e6 / repeat;
    }

    /** ms per evaluation of {@code b} puzzles: N_sup steps, every step's answer copied to the host (as the Solver does). */
    static double timeBatch(TrmModel model, int b, int repeat) {
        int s = model.config().seqLen();
        int[] tokens = new int[b * s];
        SplittableRandom rng = new SplittableRandom(0);
        for (int i = 0; i < tokens.length; i++) tokens[i] = 1 + rng.nextInt(model.config().vocabSize() - 1);
        double total = 0;
        for (int i = 0; i <= repeat; i++) {
            long t0 = System.nanoTime();
            try (PointerScope scope = new PointerScope()) {
                Batch batch = new Batch(Tensor.create(tokens, b, s).to(ScalarType.Long), null,
                        Tensor.create(new int[b], b).to(ScalarType.Long));
                model.evaluation().run(batch, step -> Ops.toFloats(step.logits().argmax(new LongOptional(-1), false)));
            }
            if (i > 0) total += System.nanoTime() - t0; // the first is the warm-up
        }
        return total / 1e6 / repeat;
    }

    private static double reference(Request r, Path model, DtypeChoice dtype, int b, Consumer<String> log) {
        int threads = Integer.getInteger("trm.threads", Runtime.getRuntime().availableProcessors());
        return ReferenceRun.run(List.of(r.reference().toString(), "--model", model.toString(), "--batch", Integer.toString(b),
                        "--dtype", dtype.dtype().torchName(), "--repeat", Integer.toString(r.repeat()), "--threads", Integer.toString(threads)), log)
                .map(n -> n.path("ms_per_solve").asDouble(Double.NaN)).orElse(Double.NaN);
    }
}
