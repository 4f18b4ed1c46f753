package io.github.trm4j.model;

import io.github.trm4j.InputException;
import io.github.trm4j.model.ModelConfig.ForwardDtype;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The forward dtype a run computes in, and why. {@code auto} (the default everywhere) picks bf16
 * only where the device computes it natively and fast: a CUDA device of compute capability 8.0 or
 * more, or an x86 CPU with AVX512-BF16 or AMX-BF16 whose bf16 matmul was measured at least
 * {@value Bf16Speed#MIN_SPEEDUP}x as fast as fp32 ({@link Bf16Probe}, once per machine); fp32
 * otherwise. The flags alone do not tell: a Zen5 runs bf16 matmul 3x faster than fp32, a Xeon with
 * AVX512-BF16 but no AMX 3x slower. Without native support bf16 is emulated, 7x slower for a small
 * model and about 100x for big matmuls, so it is never chosen silently.
 *
 * <p>A checkpoint's stored forward dtype is the trainer's choice, not a constraint: the same
 * weights run in either dtype.
 *
 * @param dtype the chosen dtype
 * @param reason why, for the one line a command prints ({@link #line()})
 * @param nativeSpeed false when bf16 was asked for on a device that emulates it
 */
public record DtypeChoice(ForwardDtype dtype, String reason, boolean nativeSpeed) {
    /** The values of a {@code --dtype} option. */
    public static final String OPTION_VALUES = "auto|fp32|bf16";

    private static final AtomicBoolean WARNED = new AtomicBoolean();

    /** {@code auto} on this machine's hardware for {@code device}. */
    public static DtypeChoice auto(ComputeDevice device) {
        return resolve("auto", device, Hardware.probe());
    }

    /**
     * Resolves a {@code --dtype} value ({@code auto}, {@code fp32}/{@code float32},
     * {@code bf16}/{@code bfloat16}, any case); null means auto. {@code option} names the flag in errors.
     */
    public static DtypeChoice resolve(String requested, ComputeDevice device, Hardware hw, String option) {
        String name = requested == null ? "auto" : requested.trim().toLowerCase(Locale.ROOT);
        boolean nativeBf16 = nativeBf16(device, hw);
        String hardware = describe(device, hw, nativeBf16);
        return switch (name) {
            case "auto" -> auto(device, hw, nativeBf16, hardware);
            case "fp32", "float32" -> new DtypeChoice(ForwardDtype.FLOAT32, option + " fp32", true);
            case "bf16", "bfloat16" -> new DtypeChoice(ForwardDtype.BFLOAT16,
                    option + " bf16" + (nativeBf16 ? "" : "; " + hardware + ", so it is emulated"), nativeBf16);
            default -> throw new InputException(option + ": expected auto, fp32 or bf16, got '" + requested + "'");
        };
    }

    /** {@link #resolve(String, ComputeDevice, Hardware, String)} for the {@code --dtype} option. */
    public static DtypeChoice resolve(String requested, ComputeDevice device, Hardware hw) {
        return resolve(requested, device, hw, "--dtype");
    }

    /** {@link #resolve(String, ComputeDevice, Hardware)} on this machine's hardware. */
    public static DtypeChoice resolve(String requested, ComputeDevice device) {
        return resolve(requested, device, Hardware.probe());
    }

    /** bf16 where native, and on a CPU only where it was measured faster than fp32. */
    private static DtypeChoice auto(ComputeDevice device, Hardware hw, boolean nativeBf16, String hardware) {
        if (!nativeBf16) return new DtypeChoice(ForwardDtype.FLOAT32, hardware, true);
        if (device == ComputeDevice.CUDA) return new DtypeChoice(ForwardDtype.BFLOAT16, hardware, true);
        Bf16Speed speed = hw.cpuBf16Speed();
        if (speed.bf16Faster())
            return new DtypeChoice(ForwardDtype.BFLOAT16, "bf16 chosen: this CPU has " + hw.cpuVectorLabel() + " and " + speed.describe(), true);
        return new DtypeChoice(ForwardDtype.FLOAT32, "bf16 not chosen: this CPU has " + hw.cpuVectorLabel() + " but " + speed.describe()
                + (speed.measured() ? String.format(java.util.Locale.ROOT, ", auto needs %.1fx", Bf16Speed.MIN_SPEEDUP) : ""), true);
    }

    /** A fixed dtype with no hardware question asked (benchmarks, tests, stored configs). */
    public static DtypeChoice fixed(ForwardDtype dtype, String reason) {
        return new DtypeChoice(dtype, reason, true);
    }

    /** Whether {@code device} computes bf16 natively on {@code hw}. */
    public static boolean nativeBf16(ComputeDevice device, Hardware hw) {
        if (device == ComputeDevice.CUDA) return hw.cudaCapability().orElse(0) >= 80;
        return hw.cpuNativeBf16();
    }

    private static String describe(ComputeDevice device, Hardware hw, boolean nativeBf16) {
        if (device == ComputeDevice.CUDA) {
            String cap = "compute capability " + hw.cudaCapabilityLabel().orElse("unknown");
            return nativeBf16 ? "CUDA device 0 computes bf16 natively: " + cap
                    : "CUDA device 0 has no native bf16: " + cap + ", bf16 needs 8.0";
        }
        return nativeBf16 ? "this CPU computes bf16 natively: " + hw.cpuVectorLabel()
                : "this CPU has no native bf16: " + hw.cpuVectorLabel();
    }

    /** The short name: {@code fp32} or {@code bf16}. */
    public String label() {
        return dtype.label();
    }

    /** The one line a command prints: {@code forward dtype: fp32 (this CPU has no native bf16: AVX2)}. */
    public String line() {
        return "forward dtype: " + label() + " (" + reason + ")";
    }

    /**
     * The warning for bf16 on a device that emulates it, the first time in this process only (empty
     * otherwise): what it costs and how to avoid it.
     */
    public java.util.Optional<String> warningOnce() {
        if (nativeSpeed || !WARNED.compareAndSet(false, true)) return java.util.Optional.empty();
        return java.util.Optional.of("warning: bf16 without native support is emulated: expect about 7x the fp32 time for a "
                + "small model and up to 100x for big matmuls; --dtype auto picks fp32 here");
    }

    /** {@code config} computing in this dtype. */
    public ModelConfig apply(ModelConfig config) {
        return config.withForwardDtype(dtype);
    }
}
