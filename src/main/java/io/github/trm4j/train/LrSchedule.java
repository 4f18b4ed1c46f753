package io.github.trm4j.train;

/**
 * Learning rate per optimizer step (spec 4.2): linear warm-up, then a cosine decay towards
 * {@code base · minRatio}. Every paper config has minRatio 1, so after the warm-up the rate is
 * constant. Steps count from 1 (the first update).
 *
 * @param base the rate after warm-up ({@code lr} or {@code puzzle_emb_lr})
 * @param warmupSteps steps of linear warm-up
 * @param minRatio floor of the cosine as a fraction of {@code base}
 * @param totalSteps the step at which the cosine reaches its floor
 */
public record LrSchedule(double base, long warmupSteps, double minRatio, long totalSteps) {

    public LrSchedule {
        if (!(base >= 0) || Double.isInfinite(base)) throw new IllegalArgumentException("base lr must be finite and >= 0, got " + base);
        if (warmupSteps < 0) throw new IllegalArgumentException("warm-up steps must be >= 0, got " + warmupSteps);
        if (!(minRatio >= 0 && minRatio <= 1)) throw new IllegalArgumentException("min ratio must be in [0, 1], got " + minRatio);
    }

    /** The rate of optimizer step {@code step} (1-based), in the official formula's order of operations. */
    public double at(long step) {
        if (step < warmupSteps) return base * (double) step / (double) Math.max(1, warmupSteps);
        double progress = (double) (step - warmupSteps) / (double) Math.max(1, totalSteps - warmupSteps);
        return base * (minRatio + Math.max(0.0, (1 - minRatio) * 0.5 * (1.0 + Math.cos(Math.PI * progress))));
    }
}
