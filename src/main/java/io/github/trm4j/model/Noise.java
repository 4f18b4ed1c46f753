package io.github.trm4j.model;

import io.github.trm4j.InputException;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Test-time noise on the recursion's state (Probabilistic TRM): before each deep recursion of the
 * supervision steps {@code firstStep..lastStep}, N(0, sigma²) is added to z, y or both, so that copies
 * of one puzzle follow different trajectories. Draws come from a torch generator seeded with
 * {@code seed}, so a run repeats exactly.
 *
 * @param sigma standard deviation; 0 leaves the recursion untouched
 * @param on which state gets the noise
 * @param firstStep first supervision step (1-based) whose deep recursions get noise
 * @param lastStep last such step
 * @param cleanEvery rows 0, cleanEvery, 2·cleanEvery… stay noise-free (the plain trajectory among the
 *     copies of a puzzle laid out cleanEvery rows apart); 0 puts noise on every row
 * @param seed of the generator
 */
public record Noise(double sigma, Target on, int firstStep, int lastStep, int cleanEvery, long seed) {
    /** The state the noise is added to. */
    public enum Target { Z, Y, BOTH }

    public Noise {
        if (!(sigma >= 0) || Double.isInfinite(sigma)) throw new InputException("noise: must be a number >= 0, got " + sigma);
        if (on == null) throw new InputException("noise-on: missing (z, y or both)");
        if (firstStep < 1 || lastStep < firstStep)
            throw new InputException("noise-steps: expected FIRST-LAST with 1 <= FIRST <= LAST, got " + firstStep + "-" + lastStep);
        if (cleanEvery < 0) throw new InputException("noise: cleanEvery must be >= 0, got " + cleanEvery);
    }

    /** The generator of one run; it belongs to the caller's PointerScope. */
    Generator generator() {
        return torch.make_generator_cpu(seed);
    }

    /**
     * (B, 1, 1) sigma for the rows that get noise at this step, 0 elsewhere; null when no row does.
     *
     * @param steps (B) int32 supervision steps each row has completed before this one
     */
    Tensor rowScale(Tensor steps) {
        if (sigma == 0) return null;
        Tensor on = torch.logical_and(steps.ge(new Scalar(firstStep - 1)), steps.lt(new Scalar(lastStep)));
        if (cleanEvery > 0) {
            Tensor rows = torch.arange(new Scalar(steps.size(0)), new TensorOptions(ScalarType.Long).device(
                    new org.bytedeco.pytorch.DeviceOptional(steps.device())));
            on = torch.logical_and(on, rows.remainder(new Scalar(cleanEvery)).ne(new Scalar(0)));
        }
        if (on.any().item_bool()) return Ops.mul(on.to(ScalarType.Float), sigma).view(-1, 1, 1);
        return null;
    }

    /** The state plus this step's draw on the rows of {@code scale} (see {@link #rowScale}); the other rows keep their bits. */
    Recursion.State perturb(Recursion.State s, Generator gen, Tensor scale) {
        Tensor y = on == Target.Z ? s.y() : noisy(s.y(), gen, scale);
        Tensor z = on == Target.Y ? s.z() : noisy(s.z(), gen, scale);
        return new Recursion.State(y, z);
    }

    /** Drawn in fp32 on the CPU (the same bits on every device), then scaled, cast and moved like {@code h}. */
    private static Tensor noisy(Tensor h, Generator gen, Tensor scale) {
        Tensor e = torch.randn(h.shape(), new GeneratorOptional(gen), new TensorOptions(ScalarType.Float));
        Tensor s = scale.to(h.device(), ScalarType.Float);
        return torch.where(s.gt(new Scalar(0)), h.add(e.to(h.device(), ScalarType.Float).mul(s).to(h.scalar_type())), h);
    }
}
