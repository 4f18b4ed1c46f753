package io.github.trm4j.train;

import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The loss of one supervision step over every slot (spec 3.1 and 3.2): the token loss as a
 * per-sequence mean over supervised cells, summed over the batch, plus half the summed Q-halt
 * binary cross-entropy against "this sequence is exactly right".
 */
final class Losses {
    private static final long REDUCTION_NONE = 0; // at::Reduction::None
    private static final long REDUCTION_SUM = 2; // at::Reduction::Sum

    private Losses() {}

    /**
     * Tensors of one loss evaluation; call from inside the caller's PointerScope.
     *
     * @param total lm + 0.5 · qHalt, float64 scalar, differentiable
     * @param lm the summed per-sequence token loss, float64 scalar
     * @param qHalt the summed Q-halt BCE, fp32 scalar
     * @param tokenCorrect [B,S] bool: supervised cell predicted right
     * @param seqCorrect [B] bool: every supervised cell right
     * @param supervised [B] long: supervised cells per sequence
     */
    record Result(Tensor total, Tensor lm, Tensor qHalt, Tensor tokenCorrect, Tensor seqCorrect, Tensor supervised) {}

    /**
     * @param logits [B,S,V] in the forward dtype
     * @param labels [B,S] long, {@link HostBatch#IGNORE} on unsupervised cells
     * @param qHaltLogits [B] fp32
     */
    static Result compute(LossKind kind, Tensor logits, Tensor labels, Tensor qHaltLogits) {
        return compute(kind, logits, labels, qHaltLogits, null);
    }

    /**
     * As above with a weight per sequence ({@code weights}: [B] float64, or null for 1): {@code total} is
     * Σ_b w_b · (lm_b + 0.5 · bce_b); {@code lm} and {@code qHalt} stay the unweighted sums (the metrics).
     */
    static Result compute(LossKind kind, Tensor logits, Tensor labels, Tensor qHaltLogits, Tensor weights) {
        Tensor mask = labels.ne(new Scalar(HostBatch.IGNORE));                                  // [B,S]
        Tensor supervised = mask.sum(new long[] {-1}, false, new ScalarTypeOptional(ScalarType.Long));
        Tensor divisor = supervised.clamp_min(new Scalar(1)).unsqueeze(-1);                  // [B,1]
        Tensor predicted = logits.argmax(new LongOptional(-1), false);                       // [B,S]
        Tensor tokenCorrect = mask.logical_and(predicted.eq(labels));
        Tensor seqCorrect = tokenCorrect.sum(new long[] {-1}, false, new ScalarTypeOptional(ScalarType.Long)).eq(supervised);

        Tensor token = tokenLoss(kind, logits, labels, mask);                                // [B,S]
        Tensor perSequence = token.div(divisor).sum(new long[] {-1}, false, new ScalarTypeOptional());  // [B]
        Tensor lm = perSequence.sum();
        if (weights == null) {
            Tensor qHalt = torch.binary_cross_entropy_with_logits(qHaltLogits, seqCorrect.to(qHaltLogits.scalar_type()),
                    new TensorOptional(), new TensorOptional(), REDUCTION_SUM);
            return new Result(lm.add(qHalt.mul(new Scalar(0.5))), lm, qHalt, tokenCorrect, seqCorrect, supervised);
        }
        Tensor bce = torch.binary_cross_entropy_with_logits(qHaltLogits, seqCorrect.to(qHaltLogits.scalar_type()),
                new TensorOptional(), new TensorOptional(), REDUCTION_NONE);                    // [B]
        Tensor qHalt = bce.sum();
        Tensor total = perSequence.add(bce.to(ScalarType.Double).mul(new Scalar(0.5))).mul(weights).sum();
        return new Result(total, lm, qHalt, tokenCorrect, seqCorrect, supervised);
    }

    /** −log p(label) per cell, 0 where the label is ignored: [B,S], float64 (stablemax) or fp32 (softmax). */
    static Tensor tokenLoss(LossKind kind, Tensor logits, Tensor labels, Tensor mask) {
        Tensor logp = switch (kind) {
            case STABLEMAX -> logStablemax(logits.to(ScalarType.Double));
            case SOFTMAX -> torch.log_softmax(logits.to(ScalarType.Float), -1);
        };
        Tensor safeLabels = torch.where(mask, labels, new Scalar(0)).unsqueeze(-1);           // [B,S,1]
        Tensor picked = logp.gather(-1, safeLabels, false).squeeze(-1);
        return torch.where(mask, picked, new Scalar(0.0)).neg();
    }

    /**
     * log(s(x) / Σ s(x)) over the last axis with s(x) = x + 1 for x ≥ 0 and 1 / (1 − x + 1e-30) below.
     * (1 − x) is formed before adding 1e-30: the other way round the epsilon vanishes in float64 and a
     * logit of exactly 1 gives 0 · ∞ = NaN in the gradient of the branch that is not taken.
     */
    static Tensor logStablemax(Tensor x) {
        Tensor below = torch.reciprocal(torch.rsub(x, new Scalar(1.0)).add(new Scalar(1e-30)));
        Tensor s = torch.where(x.lt(new Scalar(0.0)), below, x.add(new Scalar(1.0)));
        return s.div(s.sum(new long[] {-1}, true, new ScalarTypeOptional())).log();
    }
}
