package io.github.trm4j.model;

import io.github.trm4j.InputException;
import io.github.trm4j.Printable;
import io.github.trm4j.model.ModelConfig.Mixer;
import io.github.trm4j.model.ModelConfig.PosEncoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Every tensor of a TRM: official name (without the {@code _orig_mod.model.inner.} prefix), shape,
 * whether it is trained, and how it is initialised (sections 1.8, 1.10, 1.11). Pure arithmetic, no
 * libtorch: the parameter count and the checkpoint checks both read this one table.
 */
final class WeightLayout {
    /** How a tensor starts: a truncated normal of some std, zeros, or the q-head's -5 bias. */
    enum Init { TRUNC_NORMAL, ZERO, Q_BIAS }

    /**
     * One tensor.
     *
     * @param trainable a parameter (AdamATan2, EMA, counted) rather than a buffer
     * @param std the true standard deviation of the truncated normal (TRUNC_NORMAL only)
     */
    record Entry(String name, long[] shape, boolean trainable, Init init, double std) {
        long numel() {
            return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        }
    }

    static final String EMBED_TOKENS = "embed_tokens.embedding_weight";
    static final String EMBED_POS = "embed_pos.embedding_weight";
    static final String LM_HEAD = "lm_head.weight";
    static final String Q_HEAD_WEIGHT = "q_head.weight";
    static final String Q_HEAD_BIAS = "q_head.bias";
    static final String PUZZLE_EMB = "puzzle_emb.weights";
    static final String Y_INIT = "H_init";
    static final String Z_INIT = "L_init";

    /** A tensor as a file or a map holds it: its dtype's name, whether that is floating point, its shape. */
    record Found(String dtype, boolean floating, long[] shape) {}

    private WeightLayout() {}

    /** Name of a tensor of block {@code i}, e.g. {@code L_level.layers.0.mlp.down_proj.weight}. */
    static String block(int i, String rest) {
        return "L_level.layers." + i + "." + rest;
    }

    /** SwiGLU inner size: round half-to-even of expansion·hidden·2/3, then up to a multiple of 256. */
    static int swigluInner(int hidden, double expansion) {
        long rounded = (long) Math.rint(expansion * hidden * 2 / 3);
        return (int) ((rounded + 255) / 256 * 256);
    }

    /** The tensors of {@code c} in checkpoint order (buffers of the model first, then submodules). */
    static List<Entry> of(ModelConfig c) {
        int d = c.hiddenSize();
        int seq = c.fullSeqLen();
        List<Entry> out = new ArrayList<>();
        out.add(new Entry(Y_INIT, new long[] {d}, false, Init.TRUNC_NORMAL, 1.0));
        out.add(new Entry(Z_INIT, new long[] {d}, false, Init.TRUNC_NORMAL, 1.0));
        double embedStd = 1 / Math.sqrt(d);
        out.add(new Entry(EMBED_TOKENS, new long[] {c.vocabSize(), d}, true, Init.TRUNC_NORMAL, embedStd));
        out.add(linear(LM_HEAD, c.vocabSize(), d));
        out.add(new Entry(Q_HEAD_WEIGHT, new long[] {2, d}, true, Init.ZERO, 0));
        out.add(new Entry(Q_HEAD_BIAS, new long[] {2}, true, Init.Q_BIAS, 0));
        if (c.puzzleEmbNdim() > 0) {
            out.add(new Entry(PUZZLE_EMB, new long[] {c.numPuzzleIdentifiers(), c.puzzleEmbNdim()}, false,
                    Init.ZERO, 0));
        }
        if (c.posEncodings() == PosEncoding.LEARNED) {
            out.add(new Entry(EMBED_POS, new long[] {seq, d}, true, Init.TRUNC_NORMAL, embedStd));
        }
        int inner = swigluInner(d, c.expansion());
        for (int i = 0; i < c.layers(); i++) {
            if (c.mixer() == Mixer.ATTENTION) {
                int heads = c.numHeads() * c.headDim();
                out.add(linear(block(i, "self_attn.qkv_proj.weight"), 3 * heads, d));
                out.add(linear(block(i, "self_attn.o_proj.weight"), d, heads));
            } else {
                int tokenInner = swigluInner(seq, c.expansion());
                out.add(linear(block(i, "mlp_t.gate_up_proj.weight"), 2 * tokenInner, seq));
                out.add(linear(block(i, "mlp_t.down_proj.weight"), seq, tokenInner));
            }
            out.add(linear(block(i, "mlp.gate_up_proj.weight"), 2 * inner, d));
            out.add(linear(block(i, "mlp.down_proj.weight"), d, inner));
        }
        return out;
    }

    /**
     * The one check of weights against a config, used by every load (header-only or live tensors):
     * every tensor of {@code c} present, floating point, of the right shape, and no other tensor
     * unless {@code allowExtra}. The first problem is an {@link InputException} naming the tensor,
     * after {@code where} (a file, or empty).
     */
    static void check(ModelConfig c, Map<String, Found> tensors, boolean allowExtra, String where) {
        List<Entry> layout = of(c);
        for (Entry e : layout) {
            Found t = tensors.get(e.name());
            if (t == null) throw new InputException(where + e.name() + ": missing from the weights");
            if (!Arrays.equals(t.shape(), e.shape()))
                throw new InputException(where + e.name() + ": expected shape " + Arrays.toString(e.shape())
                        + " for this model config, got " + Arrays.toString(t.shape()));
            if (!t.floating()) throw new InputException(where + e.name() + ": expected floating-point values, got " + t.dtype());
        }
        if (allowExtra || tensors.size() == layout.size()) return;
        for (String name : tensors.keySet()) {
            if (layout.stream().noneMatch(e -> e.name().equals(name)))
                throw new InputException(where + Printable.quote(name) + ": unknown tensor for this model config (it has "
                        + layout.size() + ": " + layout.get(0).name() + ", ..., " + layout.get(layout.size() - 1).name() + ")");
        }
    }

    /** A bias-free Linear weight [out, in] with LeCun truncated-normal init (std 1/sqrt(in)). */
    private static Entry linear(String name, int out, int in) {
        return new Entry(name, new long[] {out, in}, true, Init.TRUNC_NORMAL, 1 / Math.sqrt(in));
    }
}
