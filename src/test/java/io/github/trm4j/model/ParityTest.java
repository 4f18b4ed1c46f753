package io.github.trm4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Numerical parity with the PyTorch reference (tools/reference): official-style {@code step_N}
 * checkpoints with their {@code all_config.yaml} are loaded in pure Java and every evaluation step's
 * logits and Q logits are compared with the reference's, fp32, max |Δ| ≤ 1e-4 · max |ref|.
 */
class ParityTest {
    private static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures", "parity");
    private static final double TOLERANCE = 1e-4;

    /**
     * The tolerance of a case. The {@code mlp} fixture (hidden size 8) amplifies fp32 rounding
     * about 5x per supervision step: trm4j run in float64 differs from the fp32 reference by as much
     * as trm4j in fp32 does (1.4e-5, 9e-5, 4e-4 on the logits of steps 1..3), i.e. the reference's
     * own third step is only good to ~1e-4, and any change of summation order moves trm4j's q_halt
     * there between 2e-4 and 3e-4. Its first two steps are held to 1e-4, its third to 1e-3.
     */
    private static double tolerance(String name, int step) {
        return name.equals("mlp") && step >= 3 ? 1e-3 : TOLERANCE;
    }

    private record Case(TrmModel model, Safetensors.Contents expected) {}

    private static Case load(String name) {
        Backend.init();
        Path dir = FIXTURES.resolve(name);
        Safetensors.Contents expected = Safetensors.read(dir.resolve("case.safetensors"));
        try (Checkpoint ckpt = Checkpoint.load(dir.resolve("step_0"))) {
            int seqLen = (int) expected.tensors().get("inputs").size(1);
            ModelConfig config = ModelConfig.fromOfficial(ckpt.officialConfig().orElseThrow().arch(), ckpt.shapes(),
                    OptionalInt.of(seqLen));
            return new Case(TrmModel.fromState(config, ckpt.tensors(), ComputeDevice.CPU), expected);
        }
    }

    private static void assertClose(String what, Tensor ref, Tensor actual, double tolerance) {
        assertArrayEquals(ref.shape(), actual.shape(), what);
        double scale = Ops.maxAbs(ref);
        double diff = Ops.maxAbs(actual.to(torch.ScalarType.Float).sub(ref.to(torch.ScalarType.Float)));
        System.out.printf("parity %-28s max|Δ| %.3e  max|ref| %.3e  ratio %.2e%n", what, diff, scale, diff / scale);
        assertTrue(diff <= tolerance * scale, what + ": max |Δ| " + diff + " > " + tolerance + " · " + scale);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "att", "arc"})
    void everyEvaluationStepMatchesTheReference(String name) {
        Case c = load(name);
        try (PointerScope scope = new PointerScope(); Safetensors.Contents ref = c.expected()) {
            var t = ref.tensors();
            Tensor logits = t.get("logits"); // (steps, B, S, V)
            int steps = (int) logits.size(0);
            assertEquals(c.model().config().supervisionSteps(), steps);
            assertEquals(ModelConfig.ForwardDtype.FLOAT32, c.model().config().forwardDtype());
            Batch batch = new Batch(t.get("inputs"), null, t.get("puzzle_identifiers"));
            List<Tensor[]> seen = new ArrayList<>();
            PointerScope outer = PointerScope.getInnerScope();
            c.model().evaluation().run(batch, out -> {
                Tensor[] copy = {out.logits().clone(), out.qHalt().clone(), out.qContinue().clone(),
                        out.carry().y().clone(), out.carry().z().clone()};
                for (Tensor x : copy) {
                    outer.attach(x);
                }
                seen.add(copy);
            });
            assertEquals(steps, seen.size());
            for (int s = 0; s < steps; s++) {
                double tol = tolerance(name, s + 1);
                assertClose(name + " logits step " + (s + 1), logits.select(0, s), seen.get(s)[0], tol);
                assertClose(name + " q_halt step " + (s + 1), t.get("q_halt").select(0, s), seen.get(s)[1], tol);
                assertClose(name + " q_continue step " + (s + 1), t.get("q_continue").select(0, s), seen.get(s)[2], tol);
            }
            if (t.containsKey("y_after_step1")) {
                assertClose(name + " y after step 1", t.get("y_after_step1"), seen.get(0)[3], TOLERANCE);
                assertClose(name + " z after step 1", t.get("z_after_step1"), seen.get(0)[4], TOLERANCE);
            }
        }
    }

    @Test
    void bf16CheckpointRunsInBf16AtTheReferencesOwnBf16Noise() {
        Case c = load("att-bf16");
        try (PointerScope scope = new PointerScope(); Safetensors.Contents ref = c.expected();
                Safetensors.Contents fp32 = Safetensors.read(FIXTURES.resolve("att").resolve("case.safetensors"))) {
            var t = ref.tensors();
            assertEquals(ModelConfig.ForwardDtype.BFLOAT16, c.model().config().forwardDtype()); // from all_config.yaml
            Batch batch = new Batch(t.get("inputs"), null, t.get("puzzle_identifiers"));
            Inference r = c.model().evaluation().run(batch, null);
            assertEquals(torch.ScalarType.BFloat16, Ops.dtype(r.logits()));
            // bf16 is not bit-reproducible across kernels; ask that trm4j's bf16 be much closer to the
            // reference's bf16 than the reference's own bf16 is to its fp32 (same weights)
            long last = t.get("logits").size(0) - 1;
            for (String key : new String[] {"logits", "q_halt"}) {
                Tensor bf16Ref = t.get(key).select(0, last);
                Tensor ours = key.equals("logits") ? r.logits() : r.qHalt();
                double noise = Ops.maxAbs(fp32.tensors().get(key).select(0, last).sub(bf16Ref));
                double diff = Ops.maxAbs(ours.to(torch.ScalarType.Float).sub(bf16Ref));
                System.out.printf("PARITY att-bf16 %s: max|Δ| vs bf16 reference %.3e, reference bf16 vs fp32 %.3e%n",
                        key, diff, noise);
                assertTrue(diff <= 0.25 * noise, key + ": " + diff + " > 0.25 · " + noise); // measured: 0.1
            }
        }
    }
}
