package io.github.trm4j.train;

import io.github.trm4j.model.ComputeDevice;
import io.github.trm4j.model.ForwardBenchmark;
import io.github.trm4j.model.ModelConfig;
import io.github.trm4j.model.ModelConfig.ForwardDtype;
import io.github.trm4j.model.ReferenceRun;
import io.github.trm4j.model.TrmModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.bytedeco.javacpp.Pointer;

/**
 * Times whole training steps (ACT forward, loss, backward, sign-SGD, AdamATan2, EMA) of a preset
 * on random Sudoku-shaped data, next to the machine's matmul rate and, when the PyTorch reference
 * is available, the reference's own training step at the same dtype and batch in the same run.
 * Not a test: {@code trm bench train}.
 */
public final class TrainBenchmark {
    private TrainBenchmark() {}

    /**
     * @param msPerStep mean wall time of one optimizer step
     * @param gflopPerStep matmul work of one step: the forward plus about twice the differentiated last recursion
     * @param matmulGflops the plain 2048³ matmul rate in the same dtype, measured in this run
     * @param referenceMsPerStep the PyTorch reference's step (NaN when not run)
     * @param rssStartMb resident memory after the warm-up step; {@code rssEndMb} after the last
     */
    public record Result(String preset, ForwardDtype dtype, int batch, int steps, double msPerStep, double examplesPerSecond,
            double gflopPerStep, double gflops, double matmulGflops, double referenceMsPerStep, long rssStartMb,
            long rssEndMb, long peakRssMb, long pointersStart, long pointersEnd) {
        /** Java time / PyTorch time (target ≤ 0.7). */
        public double ratioToReference() {
            return msPerStep / referenceMsPerStep;
        }
    }

    /** Matmul FLOPs of one training step: the forward, plus backward ≈ 2× the last recursion's n+1 calls. */
    public static double flopPerStep(ModelConfig c, int b) {
        double forward = ForwardBenchmark.flopPerStep(c, b);
        double heads = 2.0 * b * c.fullSeqLen() * c.hiddenSize() * c.vocabSize();
        double perCall = (forward - heads) / (c.recursions() * (c.latentSteps() + 1.0));
        return forward + 2 * ((c.latentSteps() + 1) * perCall + heads);
    }

    public static Result run(String preset, ForwardDtype dtype, int b, int warmup, int steps, ComputeDevice device,
            Path reference, Consumer<String> log) {
        ModelConfig c = ModelConfig.preset(preset).withForwardDtype(dtype);
        // the reference first: a child inherits the JVM's peak RSS on Linux, which is small before the model exists
        double ref = reference == null ? Double.NaN : referenceStep(reference, preset, dtype, b, log);
        double matmul = ForwardBenchmark.matmulGflops(dtype, 2048, device);
        log.accept(String.format("%s %s batch %d: matmul 2048^3 %.0f GFLOP/s", preset, dtype, b, matmul));
        TrmModel model = TrmModel.initialise(c, 0, device);
        TrainStep trainer = new TrainStep(model, TrainConfig.paper(preset).withBatch(b, b), 1_000_000, new SplitMix(0));
        SplittableRandom rng = new SplittableRandom(0);
        HostBatch batch = randomBatch(c, b, rng);
        long rssStart = 0;
        long pointersStart = 0;
        long t0 = 0;
        for (int i = 0; i < warmup + steps; i++) {
            if (i == warmup) {
                rssStart = memoryMb("VmRSS");
                pointersStart = Pointer.totalCount();
                t0 = System.nanoTime();
            }
            trainer.run(batch);
            int done = i - warmup + 1;
            if (done > 0 && done % Math.max(1, steps / 10) == 0) {
                log.accept(String.format("  step %d/%d: %.0f ms/step, RSS %d MB, pointers %d", done, steps,
                        (System.nanoTime() - t0) / 1e6 / done, memoryMb("VmRSS"), Pointer.totalCount()));
            }
        }
        double ms = (System.nanoTime() - t0) / 1e6 / steps;
        double flop = flopPerStep(c, b);
        return new Result(preset, dtype, b, steps, ms, b / (ms / 1e3), flop / 1e9, flop / ms / 1e6, matmul, ref, rssStart,
                memoryMb("VmRSS"), memoryMb("VmHWM"), pointersStart, Pointer.totalCount());
    }

    /**
     * One rank's share of a distributed benchmark: mean step time, the fraction of it spent in
     * collectives on this rank, and the bytes all-reduced per step.
     */
    public record RankResult(int rank, int ranks, int batch, double msPerStep, double examplesPerSecond, double communicationShare,
            long allReducedBytesPerStep) {}

    /** Times {@code steps} training steps of the global batch {@code b} as one rank of {@code group}. */
    public static RankResult runDistributed(String preset, ForwardDtype dtype, int b, int warmup, int steps,
            io.github.trm4j.dist.Group group) {
        ModelConfig c = ModelConfig.preset(preset).withForwardDtype(dtype);
        TrmModel model = TrmModel.initialise(c, 0, ComputeDevice.CPU);
        TrainStep trainer = new TrainStep(model, TrainConfig.paper(preset).withBatch(b, b), 1_000_000, new SplitMix(0), group);
        HostBatch batch = randomBatch(c, b, new SplittableRandom(0));
        for (int i = 0; i < warmup; i++) trainer.run(batch);
        group.barrier("benchmark start");
        double comm0 = group.communicationSeconds();
        long bytes0 = group.allReducedBytes();
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) trainer.run(batch);
        double ms = (System.nanoTime() - t0) / 1e6 / steps;
        double comm = (group.communicationSeconds() - comm0) * 1e3 / steps;
        return new RankResult(group.rank(), group.size(), b, ms, b / (ms / 1e3), comm / ms, (group.allReducedBytes() - bytes0) / steps);
    }

    private static HostBatch randomBatch(ModelConfig c, int b, SplittableRandom rng) {
        int s = c.seqLen();
        int[] in = new int[b * s];
        int[] lab = new int[b * s];
        for (int i = 0; i < in.length; i++) {
            in[i] = 1 + rng.nextInt(c.vocabSize() - 1);
            lab[i] = 1 + rng.nextInt(c.vocabSize() - 1);
        }
        return new HostBatch(b, s, in, lab, new int[b]);
    }

    /** The reference's training step in ms: {@code /usr/bin/python3 bench.py --only PRESET:DTYPE:train}. */
    private static double referenceStep(Path script, String preset, ForwardDtype dtype, int b, Consumer<String> log) {
        return ReferenceRun.run(List.of(script.toString(), "--repeat", "2", "--batch", Integer.toString(b),
                        "--only", preset + ":" + dtype.torchName() + ":train"), log)
                .map(n -> n.path("ms_per_step").asDouble(Double.NaN)).orElse(Double.NaN);
    }

    /** A memory line of /proc/self/status in MB (0 where there is no /proc). */
    private static long memoryMb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key + ":")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
