package io.github.trm4j.model;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Rotary position embedding with the rotate-half convention (section 1.4): tables of length L = S + P,
 * computed and applied in fp32.
 */
final class Rope {
    private final Tensor cos; // (L, 1, headDim), fp32
    private final Tensor sin; // (L, 1, headDim), fp32

    private Rope(Tensor cos, Tensor sin) {
        this.cos = cos;
        this.sin = sin;
    }

    /** inv_freq[i] = 1 / θ^(2i/headDim), i < headDim/2, fp32. */
    static Tensor inverseFrequencies(int headDim, double theta, Device device) {
        TensorOptions f32 = new TensorOptions(ScalarType.Float).device(new DeviceOptional(device));
        Tensor exponents = torch.arange(new Scalar(0), new Scalar(headDim), new Scalar(2), f32).div(new Scalar(headDim));
        return torch.pow(new Scalar(theta), exponents).reciprocal();
    }

    /** The cos/sin tables for positions 0..length−1; owned by the returned object. */
    static Rope of(int length, int headDim, double theta, Device device) {
        Tensor invFreq = inverseFrequencies(headDim, theta, device);
        TensorOptions f32 = new TensorOptions(ScalarType.Float).device(new DeviceOptional(device));
        Tensor t = torch.arange(new Scalar(length), f32);
        Tensor freqs = torch.outer(t, invFreq); // (L, headDim/2)
        Tensor emb = Ops.cat(-1, freqs, freqs); // (L, headDim)
        Tensor cos = emb.cos().unsqueeze(-2);
        Tensor sin = emb.sin().unsqueeze(-2);
        cos.retainReference();
        sin.retainReference();
        return new Rope(cos, sin);
    }

    /** v' = v·cos + rotate_half(v)·sin for v (B, L, heads, headDim), in fp32, back in v's dtype. */
    Tensor apply(Tensor v) {
        ScalarType dtype = Ops.dtype(v);
        Tensor v32 = Ops.cast(v, ScalarType.Float);
        return Ops.cast(v32.mul(cos).add(rotateHalf(v32).mul(sin)), dtype);
    }

    /** concat(−v[d/2:], v[:d/2]) on the last axis. */
    static Tensor rotateHalf(Tensor v) {
        long half = v.size(-1) / 2;
        return Ops.cat(-1, v.narrow(-1, half, half).neg(), v.narrow(-1, 0, half));
    }
}
