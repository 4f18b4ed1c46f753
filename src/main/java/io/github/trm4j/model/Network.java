package io.github.trm4j.model;

import io.github.trm4j.model.ModelConfig.Mixer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The single tiny network of TRM with its input embedding and output heads (sections 1.2 to 1.7).
 * Made once per supervision step: the fp32 master weights are cast to the forward dtype here, once,
 * inside the step's scope (a differentiable cast, so gradients reach the masters in fp32).
 */
final class Network {
    /** The weights of one block; the token mixer is attention (qkv, o) or an MLP over L (gate_up, down). */
    private record Block(Tensor mixIn, Tensor mixOut, Tensor gateUp, Tensor down) {}

    private final ModelConfig config;
    private final Rope rope;
    private final Tensor embedTokens;
    private final Tensor embedPos;
    private final Tensor lmHead;
    private final Tensor qHeadWeight;
    private final Tensor qHeadBias;
    private final Tensor yInit;
    private final Tensor zInit;
    private final List<Block> blocks = new ArrayList<>();

    /** The network of {@code weights} in the forward dtype of {@code config}; {@code rope} may be null. */
    Network(ModelConfig config, Weights weights, Rope rope) {
        this.config = config;
        this.rope = config.mixer() == Mixer.ATTENTION ? rope : null;
        ScalarType dtype = Ops.scalarType(config.forwardDtype());
        embedTokens = Ops.cast(weights.get(WeightLayout.EMBED_TOKENS), dtype);
        embedPos = weights.state().containsKey(WeightLayout.EMBED_POS)
                ? Ops.cast(weights.get(WeightLayout.EMBED_POS), dtype) : null;
        lmHead = Ops.cast(weights.get(WeightLayout.LM_HEAD), dtype);
        qHeadWeight = Ops.cast(weights.get(WeightLayout.Q_HEAD_WEIGHT), dtype);
        qHeadBias = Ops.cast(weights.get(WeightLayout.Q_HEAD_BIAS), dtype);
        yInit = Ops.cast(weights.get(WeightLayout.Y_INIT), dtype);
        zInit = Ops.cast(weights.get(WeightLayout.Z_INIT), dtype);
        String mixer = config.mixer() == Mixer.ATTENTION ? "self_attn.qkv_proj" : "mlp_t.gate_up_proj";
        String mixerOut = config.mixer() == Mixer.ATTENTION ? "self_attn.o_proj" : "mlp_t.down_proj";
        for (int i = 0; i < config.layers(); i++) {
            blocks.add(new Block(
                    Ops.cast(weights.get(WeightLayout.block(i, mixer + ".weight")), dtype),
                    Ops.cast(weights.get(WeightLayout.block(i, mixerOut + ".weight")), dtype),
                    Ops.cast(weights.get(WeightLayout.block(i, "mlp.gate_up_proj.weight")), dtype),
                    Ops.cast(weights.get(WeightLayout.block(i, "mlp.down_proj.weight")), dtype)));
        }
    }

    /**
     * x = √D · [puzzle prefix ; embed_tokens[inputs]] (section 1.2): prefix row 0 is the puzzle
     * vector, the other P−1 rows are zero.
     *
     * @param inputs (B, S) integer tokens
     * @param puzzleRows (B, puzzleEmbNdim) fp32 rows of the puzzle table, or null without puzzle embeddings
     * @return (B, L, D) in the forward dtype
     */
    Tensor embed(Tensor inputs, Tensor puzzleRows) {
        int d = config.hiddenSize();
        Tensor e = torch.embedding(embedTokens, inputs.to(ScalarType.Long)); // (B, S, D)
        if (puzzleRows != null) {
            Tensor prefix = Ops.cast(puzzleRows, embedTokens.scalar_type()); // (B, ndim)
            long pad = (long) config.puzzleEmbLen() * d - config.puzzleEmbNdim();
            if (pad > 0) {
                prefix = torch.constant_pad_nd(prefix, 0, pad); // zeros on the right, up to P·D
            }
            e = Ops.cat(1, prefix.view(inputs.size(0), config.puzzleEmbLen(), d), e); // (B, L, D)
        }
        if (embedPos != null) {
            e = Ops.mul(e.add(embedPos), 0.707106781);
        }
        return Ops.mul(e, Math.sqrt(d));
    }

    /** net(h, injection): the blocks applied to h + injection; the injection is added once (section 1.6). */
    Tensor apply(Tensor h, Tensor injection) {
        return Ops.scoped(() -> {
            Tensor out = h.add(injection);
            for (Block b : blocks) {
                Tensor in = out;
                out = Ops.scoped(() -> block(b, in)); // frees the block's big temporaries
            }
            return out;
        });
    }

    /** One post-norm block (section 1.5), (B, L, D) → (B, L, D). */
    private Tensor block(Block b, Tensor h) {
        double eps = config.rmsNormEps();
        if (config.mixer() == Mixer.ATTENTION) {
            h = Layers.rmsNorm(h.add(Layers.attention(h, b.mixIn(), b.mixOut(), config.numHeads(), rope)), eps);
        } else {
            Tensor u = h.transpose(1, 2); // (B, D, L)
            u = Layers.rmsNorm(u.add(Layers.swiGlu(u, b.mixIn(), b.mixOut())), eps); // normalised over L
            h = u.transpose(1, 2);
        }
        return Layers.rmsNorm(h.add(Layers.swiGlu(h, b.gateUp(), b.down())), eps);
    }

    /** H_init (y0) in the forward dtype: (D). */
    Tensor yInit() {
        return yInit;
    }

    /** L_init (z0) in the forward dtype: (D). */
    Tensor zInit() {
        return zInit;
    }

    /** lm_head(y) with the puzzle prefix dropped: (B, L, D) → (B, S, V) in the forward dtype. */
    Tensor logits(Tensor y) {
        return Ops.linear(y, lmHead).narrow(1, config.puzzleEmbLen(), config.seqLen());
    }

    /** q_head(y[:, 0]) in fp32: (B, L, D) → (B, 2), column 0 q_halt, column 1 q_continue. */
    Tensor q(Tensor y) {
        return Ops.cast(Ops.linear(y.select(1, 0), qHeadWeight, qHeadBias), ScalarType.Float);
    }
}
