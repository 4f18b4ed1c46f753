package io.github.trm4j.model;

import io.github.trm4j.model.ModelConfig.ForwardDtype;
import io.github.trm4j.model.ModelConfig.Mixer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Times one evaluation-mode supervision step (T·(n+1) network calls plus the heads) of a preset, and
 * the machine's plain matmul rate in the same dtype, in the same process. Not a test: run it with
 * {@code trm bench forward}.
 */
public final class ForwardBenchmark {
    private ForwardBenchmark() {}

    /**
     * One measurement.
     *
     * @param gflopPerStep matmul work of one supervision step (what the rate is computed from)
     * @param matmulGflops the machine's rate on a 2048³ matmul in the same dtype, measured now
     * @param rssAfterWarmupMb resident memory once warm; {@code rssEndMb} after the last step
     * @param pointersAfterWarmup live JavaCPP pointers once warm; {@code pointersEnd} after the last step
     */
    public record Result(String preset, ForwardDtype dtype, int batch, int steps, double msPerStep,
            double gflopPerStep, double gflops, double matmulGflops, long rssAfterWarmupMb, long rssEndMb,
            long peakRssMb, long pointersAfterWarmup, long pointersEnd) {
        /** Achieved rate as a fraction of the plain matmul rate. */
        public double fractionOfMatmul() {
            return gflops / matmulGflops;
        }
    }

    /** Matmul FLOPs of one supervision step of {@code c} at batch {@code b} (multiply-adds × 2). */
    public static double flopPerStep(ModelConfig c, int b) {
        double l = c.fullSeqLen();
        double d = c.hiddenSize();
        double rows = b * l;
        double inner = WeightLayout.swigluInner(c.hiddenSize(), c.expansion());
        double block = 2 * rows * d * 2 * inner + 2 * rows * inner * d; // SwiGLU over D
        if (c.mixer() == Mixer.ATTENTION) {
            block += 2 * rows * d * 3 * d + 2 * rows * d * d; // qkv, o
            block += 2 * 2 * b * l * l * d; // q·kᵀ and p·v over all heads
        } else {
            double tokenInner = WeightLayout.swigluInner(c.fullSeqLen(), c.expansion());
            block += 2 * b * d * l * 2 * tokenInner + 2 * b * d * tokenInner * l; // SwiGLU over L
        }
        double calls = c.recursions() * (c.latentSteps() + 1.0);
        return calls * c.layers() * block + 2 * rows * d * c.vocabSize();
    }

    /** GFLOP/s of a {@code n}³ matmul in {@code dtype} (best of a few). */
    public static double matmulGflops(ForwardDtype dtype, int n, ComputeDevice device) {
        return matmulGflops(dtype, n, n, n, 3, device);
    }

    /**
     * GFLOP/s of an ({@code m}×{@code k})·({@code k}×{@code n}) matmul in {@code dtype}, best of
     * {@code times} after one warm-up. The operands are constant, so timing leaves the global random
     * generator as it was.
     */
    public static double matmulGflops(ForwardDtype dtype, int m, int k, int n, int times, ComputeDevice device) {
        try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            TensorOptions opts = new TensorOptions(Ops.scalarType(dtype)).device(
                    new org.bytedeco.pytorch.DeviceOptional(device.torch()));
            Tensor a = torch.full(new long[] {m, k}, new org.bytedeco.pytorch.Scalar(0.5), opts);
            Tensor b = torch.full(new long[] {k, n}, new org.bytedeco.pytorch.Scalar(0.25), opts);
            torch.matmul(a, b);
            double best = Double.MAX_VALUE;
            for (int i = 0; i < times; i++) {
                long t0 = System.nanoTime();
                torch.matmul(a, b).sum().item_double(); // item() waits for the device
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            return 2.0 * m * k * n / best / 1e9;
        }
    }

    /** Runs {@code warmup} + {@code steps} supervision steps of {@code preset} at batch {@code b}. */
    public static Result run(String preset, ForwardDtype dtype, int b, int warmup, int steps,
            ComputeDevice device, Consumer<String> log) {
        ModelConfig c = ModelConfig.preset(preset).withForwardDtype(dtype);
        double matmul = matmulGflops(dtype, 2048, device);
        log.accept(String.format("%s %s: matmul 2048^3 %.0f GFLOP/s", preset, dtype, matmul));
        TrmModel model = TrmModel.initialise(c, 0, device);
        Supervision eval = model.evaluation();
        Batch batch;
        try (PointerScope s = new PointerScope()) {
            torch.manual_seed(0);
            Tensor inputs = torch.randint(1, c.vocabSize(), new long[] {b, c.seqLen()},
                    new TensorOptions(ScalarType.Long)).to(device.torch(), ScalarType.Long);
            inputs.retainReference();
            batch = Batch.of(inputs);
            batch.puzzleIds().retainReference();
        }
        Carry carry = eval.initialCarry(batch);
        long rssWarm = 0;
        long pointersWarm = 0;
        long t0 = 0;
        for (int i = 0; i < warmup + steps; i++) {
            if (i == warmup) {
                rssWarm = rssMb("VmRSS");
                pointersWarm = Pointer.totalCount();
                t0 = System.nanoTime();
            }
            try (PointerScope s = new PointerScope()) {
                StepOutput out = eval.step(carry, batch);
                out.qHalt().sum().item_double(); // synchronise
                carry = out.carry();
            }
            if (i >= warmup && (i - warmup + 1) % Math.max(1, steps / 10) == 0) {
                log.accept(String.format("  step %d/%d: %.0f ms/step, RSS %d MB, pointers %d", i - warmup + 1, steps,
                        (System.nanoTime() - t0) / 1e6 / (i - warmup + 1), rssMb("VmRSS"), Pointer.totalCount()));
            }
        }
        double ms = (System.nanoTime() - t0) / 1e6 / steps;
        carry.close();
        double flop = flopPerStep(c, b);
        return new Result(preset, dtype, b, steps, ms, flop / 1e9, flop / ms / 1e6, matmul, rssWarm,
                rssMb("VmRSS"), rssMb("VmHWM"), pointersWarm, Pointer.totalCount());
    }

    /** A memory line of /proc/self/status in MB (0 where there is no /proc). */
    static long rssMb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
