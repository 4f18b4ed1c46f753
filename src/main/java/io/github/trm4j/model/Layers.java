package io.github.trm4j.model;

import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** The three layers of a block (section 1.5): RMSNorm without scale, SwiGLU, non-causal attention. */
final class Layers {
    private Layers() {}

    /**
     * h / sqrt(mean(h², last axis) + eps), computed in fp32 and returned in h's dtype. libtorch's
     * fused kernel does exactly that (bit-identical to the composed fp32 ops in both dtypes) and is
     * 2.5x faster.
     */
    static Tensor rmsNorm(Tensor h, double eps) {
        return torch.rms_norm(h, new long[] {h.size(-1)}, new TensorOptional(), new DoubleOptional(eps));
    }

    /** down(silu(gate) ⊙ up) where [gate | up] = gateUp(h): first half gate, second half up. */
    static Tensor swiGlu(Tensor h, Tensor gateUp, Tensor down) {
        if (!GradMode.is_enabled()) {
            // inference: two half-width products give contiguous gate and up, updated in place
            long inner = gateUp.size(0) / 2;
            Tensor gate = Ops.linear(h, gateUp.narrow(0, 0, inner));
            Tensor up = Ops.linear(h, gateUp.narrow(0, inner, inner));
            return Ops.linear(torch.silu_(gate).mul_(up), down);
        }
        TensorVector gu = Ops.linear(h, gateUp).chunk(2, -1);
        // silu on the strided half is 2x slower than a contiguous copy and silu
        return Ops.linear(torch.silu(gu.get(0).contiguous()).mul(gu.get(1)), down);
    }

    /**
     * Multi-head self-attention over all L positions, no mask, no bias (section 1.5). The fused
     * kernel is used in fp32; in bf16 it is 30x slower on CPU, so softmax(q·kᵀ/√d)·v is composed.
     *
     * @param h (B, L, D)
     * @param qkv [3·heads·headDim, D]: query heads, then key heads, then value heads
     * @param rope the rotary tables, or null for none
     */
    static Tensor attention(Tensor h, Tensor qkv, Tensor out, int heads, Rope rope) {
        long b = h.size(0);
        long l = h.size(1);
        Tensor all = Ops.linear(h, qkv);
        long headDim = all.size(2) / (3 * heads);
        all = all.view(b, l, 3 * heads, headDim);
        Tensor q = all.narrow(2, 0, heads); // (B, L, heads, headDim)
        Tensor k = all.narrow(2, heads, heads);
        Tensor v = all.narrow(2, 2L * heads, heads);
        if (rope != null) {
            q = rope.apply(q);
            k = rope.apply(k);
        }
        q = q.transpose(1, 2); // (B, heads, L, headDim)
        k = k.transpose(1, 2);
        v = v.transpose(1, 2);
        Tensor o;
        if (Ops.dtype(h) == ScalarType.Float) {
            o = torch.scaled_dot_product_attention(q, k, v);
        } else {
            Tensor scores = Ops.mul(torch.matmul(q, k.transpose(-2, -1)), 1 / Math.sqrt(headDim));
            o = torch.matmul(torch.softmax(scores, -1), v);
        }
        return Ops.linear(o.transpose(1, 2).reshape(b, l, heads * headDim), out); // (B, L, D)
    }
}
