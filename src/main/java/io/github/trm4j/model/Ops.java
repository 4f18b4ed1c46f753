package io.github.trm4j.model;

import io.github.trm4j.model.ModelConfig.ForwardDtype;
import java.util.function.Supplier;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorArrayRef;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The few libtorch calls the model needs, without JavaCPP's ceremony, so that the network reads like
 * the paper. Also the lifetime rule: {@link #scoped} runs a computation in its own
 * {@link PointerScope} and hands only its result to the enclosing scope.
 */
public final class Ops {
    private Ops() {}

    /** {@code x} clipped to [lo, hi]. */
    public static Tensor clamp(Tensor x, double lo, double hi) {
        return x.clamp(new ScalarOptional(new Scalar(lo)), new ScalarOptional(new Scalar(hi)));
    }

    /** {@code x · v} for a plain number. */
    public static Tensor mul(Tensor x, double v) {
        return x.mul(new Scalar(v));
    }

    /** Mean over one dimension, kept as size 1 (for broadcasting back). */
    public static Tensor meanKeepDim(Tensor x, long dim) {
        return x.mean(new long[] {dim}, true, new ScalarTypeOptional());
    }

    /** Concatenation along {@code dim}. */
    public static Tensor cat(long dim, Tensor... parts) {
        return torch.cat(new TensorArrayRef(new TensorVector(parts)), dim);
    }

    /** {@code x · wᵀ} with {@code w} stored [out, in] like the official Linear weights. */
    public static Tensor linear(Tensor x, Tensor w) {
        return torch.linear(x, w);
    }

    /** {@code x · wᵀ + b}. */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        return torch.linear(x, w, new TensorOptional(b));
    }

    /**
     * The dtype of {@code x}, comparable with {@code ==}. JavaCPP hands out fresh enum instances
     * from native calls; {@code x.scalar_type() == ScalarType.Float} is always false.
     */
    public static ScalarType dtype(Tensor x) {
        return x.scalar_type().intern();
    }

    /** {@code x} in dtype {@code t}: the same tensor when it already is (a differentiable cast otherwise). */
    public static Tensor cast(Tensor x, ScalarType t) {
        return dtype(x) == t.intern() ? x : x.to(t);
    }

    /** The libtorch dtype of a forward dtype. */
    public static ScalarType scalarType(ForwardDtype dtype) {
        return dtype == ForwardDtype.BFLOAT16 ? ScalarType.BFloat16 : ScalarType.Float;
    }

    /**
     * Runs {@code body} in a fresh {@link PointerScope}: every temporary it makes is freed on return,
     * its result is handed to the enclosing scope (or, with none, to the garbage collector).
     */
    public static <T extends Pointer> T scoped(Supplier<T> body) {
        PointerScope outer = PointerScope.getInnerScope();
        try (PointerScope inner = new PointerScope()) {
            return keepIn(outer, body.get());
        }
    }

    /**
     * Makes {@code p} survive the closing of the current scope: it joins {@code outer}, or, when
     * {@code outer} is null, it is owned by its Java object until {@link Pointer#releaseReference()}
     * or garbage collection.
     */
    public static <T extends Pointer> T keepIn(PointerScope outer, T p) {
        if (p != null) {
            if (outer != null) {
                outer.attach(p);
            } else {
                p.retainReference();
            }
        }
        return p;
    }

    /** A float tensor of the given shape holding a copy of {@code data}. */
    public static Tensor floats(float[] data, long... shape) {
        return Tensor.create(data, shape);
    }

    /** A copy of any tensor's values as fp32 (contiguous, on the CPU). */
    public static float[] toFloats(Tensor x) {
        Tensor c = x.detach().to(ScalarType.Float).cpu().contiguous();
        float[] out = new float[(int) c.numel()];
        c.data_ptr_float().get(out);
        return out;
    }

    /** max |x|, as a double. */
    public static double maxAbs(Tensor x) {
        return x.detach().abs().max().item_double();
    }
}
