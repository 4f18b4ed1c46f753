package io.github.trm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.model.Backend;
import io.github.trm4j.model.Batch;
import io.github.trm4j.model.Carry;
import io.github.trm4j.model.ComputeDevice;
import io.github.trm4j.model.ModelConfig;
import io.github.trm4j.model.ModelConfig.ForwardDtype;
import io.github.trm4j.model.ModelConfig.Mixer;
import io.github.trm4j.model.ModelConfig.PosEncoding;
import io.github.trm4j.model.StepOutput;
import io.github.trm4j.model.Supervision;
import io.github.trm4j.model.TrmModel;
import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TrainStepTest {
    @BeforeAll
    static void backend() {
        Backend.init();
    }

    /** D 16, 2 heads, 1 layer, n 2, T as given, N_sup 3, V 5, S 6, 3 puzzle ids, fp32. */
    static ModelConfig tiny(int recursions, Mixer mixer, double exploration) {
        return new ModelConfig(16, 2, 2, 1, 2, recursions, 3, exploration, 16, 1,
                mixer == Mixer.ATTENTION ? PosEncoding.ROPE : PosEncoding.NONE, 10000, 1e-5, mixer,
                ForwardDtype.FLOAT32, 5, 6, 3);
    }

    static HostBatch randomBatch(int b, int s, SplittableRandom r) {
        int[] in = new int[b * s];
        int[] lab = new int[b * s];
        int[] ids = new int[b];
        for (int i = 0; i < in.length; i++) {
            in[i] = 1 + r.nextInt(4);
            lab[i] = r.nextInt(5) == 0 ? HostBatch.IGNORE : 1 + r.nextInt(4);
        }
        for (int i = 0; i < b; i++) ids[i] = r.nextInt(3);
        return new HostBatch(b, s, in, lab, ids);
    }

    static TrainConfig recipe(int batch, int micro) {
        return new TrainConfig(batch, micro, 1e-2, 2, 1.0, 0.1, 0.9, 0.95, 1e-2, 0.1, true, 0.9, LossKind.STABLEMAX, 0, null, null);
    }

    @Test
    void microBatchesGiveTheSameUpdateAsOneBatch() {
        ModelConfig c = tiny(2, Mixer.ATTENTION, 0.5);
        TrainStep whole = new TrainStep(TrmModel.initialise(c, 1, ComputeDevice.CPU), recipe(8, 8), 10, new SplitMix(5));
        TrainStep split = new TrainStep(TrmModel.initialise(c, 1, ComputeDevice.CPU), recipe(8, 2), 10, new SplitMix(5));
        SplittableRandom data = new SplittableRandom(3);
        for (int s = 0; s < 4; s++) {
            HostBatch batch = randomBatch(8, 6, data);
            StepMetrics a = whole.run(batch);
            StepMetrics b = split.run(batch);
            assertEquals(a.loss(), b.loss(), 1e-6 * Math.abs(a.loss()), "loss of step " + (s + 1));
            assertEquals(a.halted(), b.halted());
            assertEquals(a.exactAccuracy(), b.exactAccuracy(), 1e-12);
        }
        assertClose(whole.model().state(), split.model().state(), 1e-5);
        assertClose(whole.ema().weights(), split.ema().weights(), 1e-5);
    }

    static void assertClose(Map<String, Tensor> a, Map<String, Tensor> b, double tol) {
        assertEquals(a.keySet(), b.keySet());
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            for (String k : a.keySet()) {
                double diff = a.get(k).sub(b.get(k)).abs().max().item_double();
                double scale = Math.max(1e-3, a.get(k).abs().max().item_double());
                assertTrue(diff <= tol * scale, k + ": max |Δ| " + diff + " vs scale " + scale);
            }
        }
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        // T = 1: every network call of the step is differentiated, so the gradient is the true derivative
        for (Mixer mixer : Mixer.values()) {
            ModelConfig c = tiny(1, mixer, 0);
            TrmModel model = TrmModel.initialise(c, 7, ComputeDevice.CPU);
            perturbHeads(model); // q_head starts at zero weight: give every parameter a gradient
            HostBatch batch = randomBatch(4, 6, new SplittableRandom(9));
            try (PointerScope scope = new PointerScope()) {
                Supervision act = model.training(new SplitMix(1));
                Carry carry = act.initialCarry(toBatch(batch));
                StepOutput out = act.step(carry, toBatch(batch));
                Losses.Result r = Losses.compute(LossKind.STABLEMAX, out.logits(), out.carry().data().labels(), out.qHalt());
                r.total().mul(new Scalar(1.0 / 4)).backward();
                out.carry().close();
                SplittableRandom pick = new SplittableRandom(11);
                for (String name : model.parameters().keySet()) {
                    Tensor p = model.parameters().get(name);
                    Tensor flatGrad = p.grad().flatten();
                    for (int k = 0; k < 2; k++) {
                        long i = pick.nextLong(p.numel());
                        double analytic = flatGrad.get(i).item_double();
                        double numeric = finiteDifference(model, p, i, batch);
                        double tol = 2e-3 * Math.max(1e-2, Math.abs(analytic)) + 2e-4;
                        assertEquals(analytic, numeric, tol, mixer + " " + name + "[" + i + "]");
                    }
                }
            }
        }
    }

    private static void perturbHeads(TrmModel model) {
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            Tensor w = model.parameters().get("q_head.weight");
            w.copy_(torch_randn_like(w, 0.3));
        }
    }

    private static Tensor torch_randn_like(Tensor w, double std) {
        SplittableRandom r = new SplittableRandom(4);
        float[] v = new float[(int) w.numel()];
        for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextGaussian() * std);
        return Tensor.create(v, w.shape());
    }

    /**
     * d loss / dθ_index of one supervision step from a fresh carry (loss = total / B): central
     * differences at h and h/2 combined by Richardson extrapolation, so the error is O(h⁴) plus fp32
     * rounding of the loss divided by h.
     */
    private static double finiteDifference(TrmModel model, Tensor p, long index, HostBatch batch) {
        double h = 1e-2;
        double wide = central(model, p, index, batch, h);
        double narrow = central(model, p, index, batch, h / 2);
        return (4 * narrow - wide) / 3;
    }

    private static double central(TrmModel model, Tensor p, long index, HostBatch batch, double h) {
        double[] losses = new double[2];
        try (NoGradGuard g = new NoGradGuard()) {
            Tensor flat = p.view(-1);
            double original = flat.get(index).item_double();
            for (int side = 0; side < 2; side++) {
                flat.get(index).fill_(new Scalar(original + (side == 0 ? h : -h)));
                losses[side] = lossOf(model, batch);
            }
            flat.get(index).fill_(new Scalar(original));
        }
        return (losses[0] - losses[1]) / (2 * h);
    }

    private static double lossOf(TrmModel model, HostBatch batch) {
        try (PointerScope scope = new PointerScope()) {
            Supervision act = model.training(new SplitMix(1));
            Carry carry = act.initialCarry(toBatch(batch));
            StepOutput out = act.step(carry, toBatch(batch));
            double v = Losses.compute(LossKind.STABLEMAX, out.logits(), out.carry().data().labels(), out.qHalt())
                    .total().item_double() / batch.size();
            out.carry().close();
            return v;
        }
    }

    static Batch toBatch(HostBatch h) {
        return new Batch(Tensor.create(h.inputs(), h.size(), h.seqLen()).to(ScalarType.Int),
                Tensor.create(h.labels(), h.size(), h.seqLen()).to(ScalarType.Long),
                Tensor.create(h.puzzleIds(), h.size()).to(ScalarType.Int));
    }
}
