package io.github.trm4j.model;

import java.util.random.RandomGenerator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The JAX-style truncated normal of section 1.8: to get a true standard deviation {@code std},
 * sample a normal of std σ' = std·{@link #STD_FACTOR} truncated to ±2σ', by inverse CDF:
 * u ~ U(−erf(√2), erf(√2)), value = erfinv(u)·√2·σ', clipped to ±2σ'.
 */
final class TruncatedNormal {
    /** erf(√2) = P(|N(0,1)| ≤ 2): the bound of the uniform draw. */
    static final double UNIFORM_BOUND = erf(Math.sqrt(2));

    /** σ'/std: 1 / the std of a standard normal truncated to ±2. */
    static final double STD_FACTOR =
            1 / Math.sqrt(1 - 2 * 2 * Math.exp(-2) / Math.sqrt(2 * Math.PI) / UNIFORM_BOUND);

    private TruncatedNormal() {}

    /** An fp32 tensor of {@code shape} with true standard deviation {@code std} (zeros if std is 0). */
    static Tensor sample(long[] shape, double std, RandomGenerator rng) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        if (std == 0) {
            return torch.zeros(shape);
        }
        double[] u = new double[Math.toIntExact(n)];
        for (int i = 0; i < u.length; i++) {
            u[i] = (2 * rng.nextDouble() - 1) * UNIFORM_BOUND;
        }
        double sigma = std * STD_FACTOR;
        Tensor v = Ops.mul(torch.erfinv(Tensor.create(u, shape)), Math.sqrt(2) * sigma);
        return Ops.clamp(v, -2 * sigma, 2 * sigma).to(ScalarType.Float);
    }

    /** erf by its Taylor series (converges quickly for the |x| ≤ 2 used here). */
    static double erf(double x) {
        double sum = 0;
        double term = x; // (-1)^k x^(2k+1) / k!
        for (int k = 0; k < 60; k++) {
            sum += term / (2 * k + 1);
            term *= -x * x / (k + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }
}
