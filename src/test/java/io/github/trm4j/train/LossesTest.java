package io.github.trm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.model.Backend;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LossesTest {
    @BeforeAll
    static void backend() {
        Backend.init();
    }

    private static Tensor doubles(long[] shape, double... v) {
        return torch.tensor(new org.bytedeco.pytorch.DoubleArrayRef(new org.bytedeco.javacpp.DoublePointer(v), v.length)).reshape(shape);
    }

    @Test
    void stablemaxMatchesSection11() {
        try (PointerScope scope = new PointerScope()) {
            Tensor logp = Losses.logStablemax(doubles(new long[] {3}, -1, 0, 2));
            double[] expected = {-2.1972246, -1.5040774, -0.4054651};
            for (int i = 0; i < 3; i++) assertEquals(expected[i], logp.get(i).item_double(), 1e-7);

            Tensor logits = doubles(new long[] {1, 1, 4}, -3, 0.5, 1.5, -0.25);
            Tensor labels = torch.tensor(new long[] {2}).reshape(1, 1);
            Tensor token = Losses.tokenLoss(LossKind.STABLEMAX, logits, labels, labels.ne(new org.bytedeco.pytorch.Scalar(HostBatch.IGNORE)));
            assertEquals(0.7030975, token.item_double(), 1e-7);
            assertEquals(ScalarType.Double.value, token.scalar_type().value);
        }
    }

    @Test
    void aLogitOfExactlyOneHasAFiniteGradient() {
        try (PointerScope scope = new PointerScope()) {
            Tensor logits = torch.tensor(new float[] {1f, -0.5f, 0.25f}).to(ScalarType.BFloat16).reshape(1, 1, 3).set_requires_grad(true);
            Tensor labels = torch.tensor(new long[] {0}).reshape(1, 1);
            Tensor qHalt = torch.zeros(1);
            Losses.compute(LossKind.STABLEMAX, logits, labels, qHalt).total().backward();
            Tensor g = logits.grad().to(ScalarType.Float).flatten();
            for (int i = 0; i < 3; i++) assertTrue(Float.isFinite(g.get(i).item_float()), "gradient " + i);
        }
    }

    @Test
    void perSequenceMeanOverSupervisedCellsSummedOverTheBatch() {
        try (PointerScope scope = new PointerScope()) {
            // two sequences of 3 cells, V = 2; sequence 0 supervises two cells, sequence 1 none
            Tensor logits = doubles(new long[] {2, 3, 2}, 0, 1, 2, 0, 5, 5, 1, 0, 1, 0, 1, 0);
            Tensor labels = torch.tensor(new long[] {1, 0, HostBatch.IGNORE, HostBatch.IGNORE, HostBatch.IGNORE, HostBatch.IGNORE}).reshape(2, 3);
            Tensor qHalt = torch.tensor(new float[] {0.3f, -1.2f});
            Losses.Result r = Losses.compute(LossKind.STABLEMAX, logits, labels, qHalt);
            // cell (0,0): s = (1, 2) → p(1) = 2/3; cell (0,1): s = (3, 1) → p(0) = 3/4
            double lm = (-Math.log(2.0 / 3) - Math.log(3.0 / 4)) / 2;
            assertEquals(lm, r.lm().item_double(), 1e-12);
            // both sequences are exactly right (the second vacuously, as in the official code)
            assertTrue(r.seqCorrect().get(0).item_bool() && r.seqCorrect().get(1).item_bool());
            double bce = Math.log1p(Math.exp(-0.3)) + Math.log1p(Math.exp(1.2));
            assertEquals(bce, r.qHalt().item_double(), 1e-6);
            assertEquals(lm + 0.5 * bce, r.total().item_double(), 1e-6);
            assertEquals(2, r.supervised().get(0).item_long());
        }
    }

    @Test
    void softmaxOptionIsOrdinaryCrossEntropy() {
        try (PointerScope scope = new PointerScope()) {
            Tensor logits = doubles(new long[] {1, 2, 3}, 1, 2, 3, 0, 0, 0);
            Tensor labels = torch.tensor(new long[] {2, 1}).reshape(1, 2);
            Losses.Result r = Losses.compute(LossKind.SOFTMAX, logits, labels, torch.zeros(1));
            double l0 = -Math.log(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3)));
            double l1 = Math.log(3);
            assertEquals((l0 + l1) / 2, r.lm().item_double(), 1e-6);
            assertFalse(r.seqCorrect().get(0).item_bool(), "argmax of a flat row is 0, not 1");
        }
    }
}
