package io.github.trm4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Section 11 constants and the network's pieces (section 1) on tiny configs. */
class NetworkTest {
    @Test
    void truncatedNormalConstants() {
        assertEquals(1.1368472343385565, TruncatedNormal.STD_FACTOR, 1e-15);
        assertEquals(0.9544997361036416, TruncatedNormal.UNIFORM_BOUND, 1e-15);
        assertEquals(2.273694468677113, 2 * TruncatedNormal.STD_FACTOR, 1e-14);
    }

    @Test
    void truncatedNormalHasTheRequestedStdAndBounds() {
        Backend.init();
        try (PointerScope s = new PointerScope()) {
            Tensor t = TruncatedNormal.sample(new long[] {200_000}, 0.5, new SplittableRandom(1));
            float[] v = Ops.toFloats(t);
            double sum = 0;
            double sq = 0;
            double max = 0;
            for (float x : v) {
                sum += x;
                sq += x * x;
                max = Math.max(max, Math.abs(x));
            }
            double mean = sum / v.length;
            double std = Math.sqrt(sq / v.length - mean * mean);
            assertEquals(0.5, std, 0.005);
            assertTrue(max <= 2 * TruncatedNormal.STD_FACTOR * 0.5 + 1e-6, "max " + max);
            assertTrue(max > 1.1, "max " + max);
        }
    }

    @Test
    void ropeInverseFrequencies() {
        Backend.init();
        try (PointerScope s = new PointerScope()) {
            float[] f = Ops.toFloats(Rope.inverseFrequencies(64, 10000, ComputeDevice.CPU.torch()));
            assertEquals(32, f.length);
            assertEquals(1.0f, f[0], 0f);
            assertEquals(0.74989421f, f[1], 1e-7f);
            assertEquals(0.56234133f, f[2], 1e-7f);
            assertEquals(0.42169650f, f[3], 1e-7f);
            assertEquals(1.3335214e-4f, f[31], 1e-10f);
        }
    }

    @Test
    void rotateHalfIsNotInterleaved() {
        Backend.init();
        try (PointerScope s = new PointerScope()) {
            Tensor v = Ops.floats(new float[] {1, 2, 3, 4}, 4);
            assertArrayEquals(new float[] {-3, -4, 1, 2}, Ops.toFloats(Rope.rotateHalf(v)));
        }
    }

    @Test
    void rmsNormHasNoScaleAndUsesTheLastAxis() {
        Backend.init();
        try (PointerScope s = new PointerScope()) {
            Tensor h = Ops.floats(new float[] {3, 4, 0, 0}, 2, 2);
            float[] out = Ops.toFloats(Layers.rmsNorm(h, 0));
            float r = (float) Math.sqrt(12.5);
            assertArrayEquals(new float[] {3 / r, 4 / r, Float.NaN, Float.NaN}, out, 1e-6f);
        }
    }

    @Test
    void embeddingScalesBySqrtDAndPrefixesThePuzzleVector() {
        TrmModel model = TinyModels.model("sudoku-mlp-tiny", 1);
        TinyModels.randomisePuzzleTable(model, 2);
        try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            Batch batch = TinyModels.sudokuBatch(3, 3);
            Network net = new Network(model.config(), model.weights(), null);
            Tensor rows = model.state().get("puzzle_emb.weights").index_select(0, batch.puzzleIds());
            Tensor x = net.embed(batch.inputs(), rows); // (3, 83, 64)
            assertArrayEquals(new long[] {3, 83, 64}, x.shape());
            Tensor tokens = torch.embedding(model.state().get("embed_tokens.embedding_weight"), batch.inputs());
            assertEquals(Math.sqrt(64), x.narrow(1, 2, 81).div(tokens).mean().item_double(), 1e-5);
            assertEquals(0.0, Ops.maxAbs(x.select(1, 1)), 0.0); // prefix row 1 is padding
            assertEquals(Math.sqrt(64), x.select(1, 0).div(rows).mean().item_double(), 1e-5);
        }
        assertEquals(22.627416997969522, Math.sqrt(512), 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sudoku-mlp-tiny", "sudoku-att-tiny"})
    void stepShapesForBothVariants(String preset) {
        TrmModel model = TinyModels.model(preset, 4);
        try (PointerScope s = new PointerScope()) {
            Supervision eval = model.evaluation();
            Batch batch = TinyModels.sudokuBatch(5, 5);
            StepOutput out = eval.step(eval.initialCarry(batch), batch);
            assertArrayEquals(new long[] {5, 81, 11}, out.logits().shape());
            assertArrayEquals(new long[] {5}, out.qHalt().shape());
            assertArrayEquals(new long[] {5}, out.qContinue().shape());
            assertArrayEquals(new long[] {5, 83, 64}, out.carry().y().shape());
            assertArrayEquals(new long[] {5, 83, 64}, out.carry().z().shape());
            assertEquals(-5.0, out.qHalt().mean().item_double(), 0); // zero q weights, bias −5
            assertEquals(5, out.carry().steps().sum().item_long());
            assertEquals(0, out.carry().halted().sum().item_long());
            assertTrue(Double.isFinite(out.logits().abs().sum().item_double()));
            out.carry().close();
        }
    }

    @Test
    void stateHasOfficialNamesAndBuffersAreNotTrainable() {
        TrmModel model = TinyModels.model("sudoku-att-tiny", 6);
        assertEquals(java.util.List.of("H_init", "L_init", "embed_tokens.embedding_weight", "lm_head.weight",
                "q_head.weight", "q_head.bias", "puzzle_emb.weights",
                "L_level.layers.0.self_attn.qkv_proj.weight", "L_level.layers.0.self_attn.o_proj.weight",
                "L_level.layers.0.mlp.gate_up_proj.weight", "L_level.layers.0.mlp.down_proj.weight",
                "L_level.layers.1.self_attn.qkv_proj.weight", "L_level.layers.1.self_attn.o_proj.weight",
                "L_level.layers.1.mlp.gate_up_proj.weight", "L_level.layers.1.mlp.down_proj.weight"),
                java.util.List.copyOf(model.state().keySet()));
        for (String buffer : new String[] {"H_init", "L_init", "puzzle_emb.weights"}) {
            assertTrue(!model.isTrainable(buffer) && !model.state().get(buffer).requires_grad(), buffer);
            assertTrue(!model.parameters().containsKey(buffer), buffer);
        }
        assertTrue(model.state().get("lm_head.weight").requires_grad());
        long counted = model.parameters().values().stream().mapToLong(Tensor::numel).sum();
        assertEquals(model.config().parameterCount(), counted);
        assertEquals(-5.0, model.state().get("q_head.bias").mean().item_double(), 0);
        assertArrayEquals(new long[] {512, 64}, model.state().get("L_level.layers.0.mlp.gate_up_proj.weight").shape());
    }
}
