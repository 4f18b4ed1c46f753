package io.github.trm4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.InputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** The ACT supervision step (section 2.2) and the recursion's gradient boundary (section 2.1). */
class SupervisionTest {
    @Test
    void evaluationRunsAllStepsAndMaySurpassNsup() {
        TrmModel model = TinyModels.model("sudoku-mlp-tiny", 1);
        try (PointerScope s = new PointerScope()) {
            Batch batch = TinyModels.sudokuBatch(3, 1);
            List<Long> seen = new ArrayList<>();
            Inference r = model.evaluation().run(batch, out -> seen.add(out.carry().steps().max().item_long()));
            assertEquals(4, r.stepsRun());
            assertEquals(List.of(1L, 2L, 3L, 4L), seen);
            assertArrayEquals(new int[] {4, 4, 4}, ints(r.steps()));
            assertEquals(7, model.evaluation(7).run(batch, null).stepsRun()); // test-time scaling past N_sup
            assertArrayEquals(new long[] {3, 81}, r.predictions().shape());
        }
    }

    @Test
    void adaptiveStopsOnceQHaltIsPositive() {
        TrmModel model = TinyModels.model("sudoku-att-tiny", 2);
        try (PointerScope s = new PointerScope()) {
            Batch batch = TinyModels.sudokuBatch(3, 2);
            assertEquals(4, model.adaptive(4).run(batch, null).stepsRun()); // bias −5: never halts early
            TinyModels.setHaltBias(model, 5);
            Inference r = model.adaptive(10).run(batch, null);
            assertEquals(1, r.stepsRun());
            assertArrayEquals(new int[] {1, 1, 1}, ints(r.steps()));
            assertEquals(4, model.evaluation().run(batch, null).stepsRun()); // evaluation ignores q_halt
        }
    }

    @Test
    void adaptiveKeepsEachSequenceAtItsOwnHaltingStep() {
        TrmModel model = TinyModels.model("sudoku-mlp-tiny", 3);
        TinyModels.randomisePuzzleTable(model, 3);
        try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            // q_halt = w·y[:,0] + b with y[:,0] depending on the input: pick b so that about half halt at once
            Tensor w = model.state().get("q_head.weight");
            w.select(0, 0).copy_(torch.randn(64));
            Batch batch = TinyModels.sudokuBatch(8, 4);
            StepOutput first = model.evaluation().step(model.evaluation().initialCarry(batch), batch);
            double median = first.qHalt().median().item_double();
            first.carry().close();
            TinyModels.setHaltBias(model, -5 - median);
            Inference r = model.adaptive(4).run(batch, null);
            int[] steps = ints(r.steps());
            int ones = 0;
            for (int st : steps) {
                ones += st == 1 ? 1 : 0;
                assertTrue(st >= 1 && st <= 4);
            }
            assertTrue(ones > 0 && ones < 8, java.util.Arrays.toString(steps));
        }
    }

    @Test
    void haltedSlotsRestartOnTheNewRowOthersKeepTheirData() {
        TrmModel model = TinyModels.model("sudoku-mlp-tiny", 4);
        try (PointerScope s = new PointerScope()) {
            Supervision eval = model.evaluation(2);
            Batch a = TinyModels.sudokuBatch(2, 10);
            Batch b = TinyModels.sudokuBatch(2, 11);
            StepOutput o1 = eval.step(eval.initialCarry(a), a);
            StepOutput o2 = eval.step(o1.carry(), b); // not halted: keeps a's rows
            assertTrue(o2.carry().data().inputs().equal(a.inputs()));
            assertEquals(2, o2.carry().halted().sum().item_long());
            StepOutput o3 = eval.step(o2.carry(), b); // halted at 2: takes b's rows, steps restart at 1
            assertTrue(o3.carry().data().inputs().equal(b.inputs()));
            assertTrue(o3.carry().data().labels().equal(b.labels()));
            assertArrayEquals(new int[] {1, 1}, ints(o3.carry().steps()));
            assertTrue(o3.logits().equal(o1.logits().detach().clone().copy_(
                    eval.step(eval.initialCarry(b), b).logits())));
            o3.carry().close();
        }
    }

    @Test
    void trainingExposesPuzzleRowsAsALeafWithGrad() {
        TrmModel model = TinyModels.model("sudoku-att-tiny", 5);
        try (PointerScope s = new PointerScope()) {
            Supervision train = model.training(new SplittableRandom(0));
            Batch batch = TinyModels.sudokuBatch(4, 5);
            StepOutput out = train.step(train.initialCarry(batch), batch);
            assertTrue(out.puzzleRows().is_leaf() && out.puzzleRows().requires_grad());
            assertTrue(out.logits().requires_grad() && out.qHalt().requires_grad());
            assertFalse(out.carry().y().requires_grad() || out.carry().z().requires_grad());
            out.logits().to(torch.ScalarType.Double).square().sum().add(out.qHalt().sum()).backward();
            assertTrue(Ops.maxAbs(out.puzzleRows().grad()) > 0);
            for (Map.Entry<String, Tensor> p : model.parameters().entrySet()) {
                Tensor g = p.getValue().grad();
                assertTrue(g.defined(), p.getKey());
                assertTrue(Double.isFinite(g.abs().sum().item_double()), p.getKey());
            }
            assertFalse(model.state().get("H_init").grad().defined());
            out.carry().close();
        }
    }

    @Test
    void trainingHaltsOnQHaltAndExploresWithTheGivenRng() {
        TrmModel model = TinyModels.model("sudoku-mlp-tiny", 6);
        TinyModels.setHaltBias(model, 5);
        try (PointerScope s = new PointerScope()) {
            Batch batch = TinyModels.sudokuBatch(64, 6);
            Supervision train = model.training(new SplittableRandom(42));
            StepOutput out = train.step(train.initialCarry(batch), batch);
            long halted = out.carry().halted().sum().item_long();
            // q_halt > 0 everywhere; with p = 0.1 about 6 of 64 slots draw a minimum of 2..4 steps
            assertTrue(halted < 64 && halted > 40, "halted " + halted);
            Supervision again = model.training(new SplittableRandom(42));
            StepOutput same = again.step(again.initialCarry(batch), batch);
            assertTrue(same.carry().halted().equal(out.carry().halted()));
            out.carry().close();
            same.carry().close();
        }
    }

    /** Gradient of a scalar function of the logits with respect to the token embeddings. */
    private static Tensor embedGrad(TrmModel model, Batch batch, int gradCycles) {
        Tensor table = model.state().get("embed_tokens.embedding_weight");
        if (table.grad().defined()) {
            table.grad().zero_();
        }
        ModelConfig c = model.config();
        Network net = new Network(c, model.weights(), model.rope());
        Tensor x = net.embed(batch.inputs(), model.state().get("puzzle_emb.weights").index_select(0, batch.puzzleIds()));
        Tensor shape = torch.ones(batch.size(), c.fullSeqLen(), 1);
        Recursion.State st = new Recursion.State(shape.mul(model.state().get("H_init")), shape.mul(model.state().get("L_init")));
        Tensor logits;
        if (gradCycles == 1) {
            logits = Recursion.deepRecursion(net, x, st, c.latentSteps(), c.recursions()).logits();
        } else {
            for (int t = 0; t < c.recursions() - 1; t++) {
                st = Recursion.latentRecursion(net, x, st, c.latentSteps());
            }
            st = Recursion.latentRecursion(net, x, st, c.latentSteps());
            logits = net.logits(st.y());
        }
        logits.square().sum().backward();
        return table.grad().clone();
    }

    @Test
    void onlyTheLastRecursionIsBackPropagated() {
        TrmModel model = TinyModels.model("sudoku-att-tiny", 7);
        ModelConfig c = model.config();
        try (PointerScope s = new PointerScope()) {
            Batch batch = TinyModels.sudokuBatch(2, 7);
            Tensor deep = embedGrad(model, batch, 1);
            Tensor full = embedGrad(model, batch, c.recursions());
            // the same forward, by hand: T−1 cycles without grad, then one with grad
            Tensor table = model.state().get("embed_tokens.embedding_weight");
            table.grad().zero_();
            Network net = new Network(c, model.weights(), model.rope());
            Tensor x = net.embed(batch.inputs(), model.state().get("puzzle_emb.weights").index_select(0, batch.puzzleIds()));
            Tensor ones = torch.ones(batch.size(), c.fullSeqLen(), 1);
            Recursion.State st = new Recursion.State(ones.mul(model.state().get("H_init")), ones.mul(model.state().get("L_init")));
            try (NoGradGuard g = new NoGradGuard()) {
                for (int t = 0; t < c.recursions() - 1; t++) {
                    st = Recursion.latentRecursion(net, x, st, c.latentSteps());
                }
            }
            st = Recursion.latentRecursion(net, x, st, c.latentSteps());
            net.logits(st.y()).square().sum().backward();
            Tensor manual = table.grad().clone();

            assertTrue(Double.isFinite(deep.abs().sum().item_double()));
            assertTrue(Ops.maxAbs(deep) > 0);
            assertTrue(deep.allclose(manual, 1e-6, 1e-7, false), "deepRecursion = last cycle only");
            double diff = Ops.maxAbs(deep.sub(full));
            assertTrue(diff > 1e-3 * Ops.maxAbs(full), "full back-propagation differs: " + diff);
        }
    }

    @Test
    void bf16StaysCloseToFp32() {
        for (String preset : new String[] {"sudoku-mlp-tiny", "sudoku-att-tiny"}) {
            TrmModel fp32 = TinyModels.model(preset, 8);
            TinyModels.randomisePuzzleTable(fp32, 8);
            TrmModel bf16 = TrmModel.fromState(fp32.config().withForwardDtype(ModelConfig.ForwardDtype.BFLOAT16),
                    fp32.state(), ComputeDevice.CPU);
            try (PointerScope s = new PointerScope()) {
                Batch batch = TinyModels.sudokuBatch(4, 8);
                // one supervision step = T·(n+1) = 6 network calls; each bf16 call is ~1% off (8-bit mantissa)
                Tensor ref = fp32.evaluation(1).run(batch, null).logits();
                Inference low = bf16.evaluation(1).run(batch, null);
                assertEquals(torch.ScalarType.BFloat16, Ops.dtype(low.logits()));
                assertEquals(torch.ScalarType.Float, Ops.dtype(low.qHalt()));
                double rel = Ops.maxAbs(low.logits().to(torch.ScalarType.Float).sub(ref)) / Ops.maxAbs(ref);
                assertTrue(rel < 0.08, preset + ": bf16 vs fp32 max |Δ| / max |ref| = " + rel);
            }
        }
    }

    @Test
    void memoryStaysFlatOverSteps() {
        TrmModel model = TinyModels.model("sudoku-att-tiny", 9);
        Batch batch = TinyModels.sudokuBatch(2, 9);
        Supervision train = model.training(new SplittableRandom(1));
        Carry carry = train.initialCarry(batch);
        long[] counts = new long[16];
        for (int i = 0; i < counts.length; i++) {
            try (PointerScope step = new PointerScope()) {
                StepOutput out = train.step(carry, batch);
                out.logits().to(torch.ScalarType.Double).square().mean().add(out.qHalt().mean()).backward();
                carry = out.carry();
            }
            counts[i] = Pointer.totalCount();
        }
        carry.close();
        for (int i = 5; i < counts.length; i++) {
            assertTrue(counts[i] <= counts[4], "pointers grew: " + java.util.Arrays.toString(counts));
        }
    }

    @Test
    void loadChecksEveryNameAndShape() {
        TrmModel model = TinyModels.model("sudoku-mlp-tiny", 10);
        Map<String, Tensor> state = new LinkedHashMap<>(model.state());
        state.remove("L_init");
        InputException e = assertThrows(InputException.class, () -> model.load(state));
        assertEquals("L_init: missing from the weights", e.getMessage());
        state.put("L_init", torch.zeros(64));
        state.put("L_level.layers.0.self_attn.qkv_proj.weight", torch.zeros(192, 64));
        e = assertThrows(InputException.class, () -> model.load(state));
        assertTrue(e.getMessage().startsWith("'L_level.layers.0.self_attn.qkv_proj.weight': unknown tensor"), e.getMessage());
        state.remove("L_level.layers.0.self_attn.qkv_proj.weight");
        state.put("lm_head.weight", torch.zeros(12, 64));
        e = assertThrows(InputException.class, () -> model.load(state));
        assertEquals("lm_head.weight: expected shape [11, 64] for this model config, got [12, 64]", e.getMessage());
    }

    @Test
    void loadedWeightsGiveTheSameOutputs() {
        TrmModel a = TinyModels.model("sudoku-att-tiny", 11);
        TrmModel b = TinyModels.model("sudoku-att-tiny", 12);
        try (PointerScope s = new PointerScope()) {
            Batch batch = TinyModels.sudokuBatch(2, 11);
            Tensor before = b.evaluation(1).run(batch, null).logits();
            b.load(a.state());
            Tensor ra = a.evaluation(1).run(batch, null).logits();
            Tensor rb = b.evaluation(1).run(batch, null).logits();
            assertTrue(ra.equal(rb));
            assertFalse(ra.equal(before));
            assertNotNull(b.state().get("H_init"));
        }
    }

    @Test
    void badBatchesAreInputErrors() {
        TrmModel model = TinyModels.model("sudoku-mlp-tiny", 13);
        try (PointerScope s = new PointerScope()) {
            Batch wrongLength = Batch.of(torch.ones(new long[] {2, 80}, new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Long)));
            InputException e = assertThrows(InputException.class, () -> model.evaluation().run(wrongLength, null));
            assertEquals("inputs: expected shape [B, 81], got [2, 80]", e.getMessage());
            Batch badToken = Batch.of(torch.ones(new long[] {2, 81}, new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Long)).mul(new Scalar(11)));
            e = assertThrows(InputException.class, () -> model.evaluation().run(badToken, null));
            assertEquals("inputs: values must be in [0, 11), got [11, 11]", e.getMessage());
        }
    }

    private static int[] ints(Tensor t) {
        Tensor c = t.to(torch.ScalarType.Int).contiguous();
        int[] out = new int[(int) c.numel()];
        c.data_ptr_int().get(out);
        return out;
    }
}
