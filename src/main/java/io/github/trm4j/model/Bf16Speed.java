package io.github.trm4j.model;

import java.util.Locale;

/**
 * How fast this CPU multiplies matrices in bf16 against fp32, measured by {@link Bf16Probe}: what
 * {@code --dtype auto} decides by on a CPU with native bf16 instructions, since the flags alone do not
 * tell (a Zen5 runs bf16 3x faster than fp32, a Xeon with AVX512-BF16 but no AMX 3x slower).
 *
 * @param fp32Gflops the fp32 matmul rate; NaN when not measured
 * @param bf16Gflops the bf16 matmul rate; NaN when not measured
 * @param source where the rates come from ("measured now, cached in ...", "cached in ..."), or why there are none
 */
public record Bf16Speed(double fp32Gflops, double bf16Gflops, String source) {
    /** bf16 must be at least this many times as fast as fp32 for auto to choose it. */
    public static final double MIN_SPEEDUP = 1.3;

    /** No measurement, and why. */
    public static Bf16Speed notMeasured(String why) {
        return new Bf16Speed(Double.NaN, Double.NaN, why);
    }

    /** Whether there are rates. */
    public boolean measured() {
        return !Double.isNaN(fp32Gflops) && !Double.isNaN(bf16Gflops);
    }

    /** The bf16 rate as a multiple of the fp32 rate (NaN when not measured). */
    public double speedup() {
        return bf16Gflops / fp32Gflops;
    }

    /** True when bf16 was measured at least {@link #MIN_SPEEDUP} times as fast as fp32. */
    public boolean bf16Faster() {
        return measured() && speedup() >= MIN_SPEEDUP;
    }

    /** The rates in one phrase: "bf16 matmul measured 0.34x fp32 (77 vs 224 GFLOP/s; measured now, cached in ...)". */
    public String describe() {
        if (!measured()) return "its bf16 speed was not measured (" + source + ")";
        return String.format(Locale.ROOT, "bf16 matmul measured %.2fx fp32 (%.0f vs %.0f GFLOP/s; %s)",
                speedup(), bf16Gflops, fp32Gflops, source);
    }
}
