package io.github.trm4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.InputException;
import io.github.trm4j.model.ModelConfig.ForwardDtype;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The forward-dtype rule for the CPU flags, the measured bf16 speed and CUDA, without asking the real machine. */
class DtypeChoiceTest {
    static final Hardware ZEN3 = Hardware.of("AMD EPYC 7B13", Set.of("fma", "avx", "avx2"), OptionalInt.empty());
    static final Hardware ZEN5 = Hardware.of("AMD EPYC 9B45", Set.of("avx2", "avx512f", "avx512_bf16"), OptionalInt.empty())
            .withCpuBf16Speed(() -> new Bf16Speed(246, 813, "cached"));
    static final Hardware SAPPHIRE = Hardware.of("Intel Xeon", Set.of("avx2", "avx512f", "amx_bf16", "amx_tile"), OptionalInt.empty())
            .withCpuBf16Speed(() -> new Bf16Speed(200, 900, "measured now"));
    /** AVX512-BF16 without AMX, where bf16 matmul is slower than fp32. */
    static final Hardware XEON = Hardware.of("Intel Xeon Processor", Set.of("avx2", "avx512f", "avx512_bf16", "avx512_fp16"),
            OptionalInt.empty());

    static Hardware unasked(Hardware hw) {
        return hw.withCpuBf16Speed(() -> {
            throw new AssertionError("the bf16 speed was asked");
        });
    }

    @Test
    void autoIsFp32OnACpuWithoutNativeBf16AndSaysWhy() {
        DtypeChoice c = DtypeChoice.resolve("auto", ComputeDevice.CPU, ZEN3);
        assertEquals(ForwardDtype.FLOAT32, c.dtype());
        assertEquals("forward dtype: fp32 (this CPU has no native bf16: AVX2)", c.line());
        assertTrue(c.warningOnce().isEmpty());
    }

    @Test
    void autoIsBf16WhereTheCpuHasNativeBf16AndMeasuredItFaster() {
        DtypeChoice zen5 = DtypeChoice.resolve(null, ComputeDevice.CPU, ZEN5);
        assertEquals(ForwardDtype.BFLOAT16, zen5.dtype());
        assertEquals("forward dtype: bf16 (bf16 chosen: this CPU has AVX512-BF16 and bf16 matmul measured 3.30x fp32 "
                + "(813 vs 246 GFLOP/s; cached))", zen5.line());
        assertEquals(ForwardDtype.BFLOAT16, DtypeChoice.resolve("AUTO", ComputeDevice.CPU, SAPPHIRE).dtype());
        assertTrue(DtypeChoice.resolve("auto", ComputeDevice.CPU, SAPPHIRE).reason().contains("AMX-BF16"));
    }

    @Test
    void autoIsFp32WhereNativeBf16MeasuredSlowerAndSaysBy() {
        DtypeChoice c = DtypeChoice.resolve("auto", ComputeDevice.CPU, XEON.withCpuBf16Speed(() -> new Bf16Speed(224, 77, "measured now")));
        assertEquals(ForwardDtype.FLOAT32, c.dtype());
        assertEquals("forward dtype: fp32 (bf16 not chosen: this CPU has AVX512-BF16 but bf16 matmul measured 0.34x fp32 "
                + "(77 vs 224 GFLOP/s; measured now), auto needs 1.3x)", c.line());
        assertTrue(c.nativeSpeed());
        // --dtype bf16 still forces it there, without the emulation warning
        DtypeChoice forced = DtypeChoice.resolve("bf16", ComputeDevice.CPU, unasked(XEON));
        assertEquals(ForwardDtype.BFLOAT16, forced.dtype());
        assertEquals("forward dtype: bf16 (--dtype bf16)", forced.line());
        assertTrue(forced.nativeSpeed());
    }

    @Test
    void bf16NeedsToBeClearlyFaster() {
        assertEquals(ForwardDtype.FLOAT32, DtypeChoice.resolve("auto", ComputeDevice.CPU,
                XEON.withCpuBf16Speed(() -> new Bf16Speed(100, 129, "x"))).dtype());
        assertEquals(ForwardDtype.BFLOAT16, DtypeChoice.resolve("auto", ComputeDevice.CPU,
                XEON.withCpuBf16Speed(() -> new Bf16Speed(100, 130, "x"))).dtype());
    }

    @Test
    void anUnmeasuredNativeBf16CpuKeepsFp32AndSaysWhy() {
        DtypeChoice c = DtypeChoice.resolve("auto", ComputeDevice.CPU, XEON.withCpuBf16Speed(() -> Bf16Speed.notMeasured("TRM_DTYPE_PROBE=off")));
        assertEquals(ForwardDtype.FLOAT32, c.dtype());
        assertEquals("forward dtype: fp32 (bf16 not chosen: this CPU has AVX512-BF16 but its bf16 speed was not measured "
                + "(TRM_DTYPE_PROBE=off))", c.line());
        assertEquals(ForwardDtype.FLOAT32, DtypeChoice.resolve("auto", ComputeDevice.CPU, XEON).dtype());
    }

    @Test
    void onlyANativeBf16CpuIsMeasured() {
        int[] asked = {0};
        Hardware counted = XEON.withCpuBf16Speed(() -> {
            asked[0]++;
            return new Bf16Speed(224, 77, "x");
        });
        DtypeChoice.resolve("auto", ComputeDevice.CPU, counted);
        DtypeChoice.resolve("auto", ComputeDevice.CPU, counted);
        assertEquals(1, asked[0]); // asked once, then remembered
        assertEquals(ForwardDtype.FLOAT32, DtypeChoice.resolve("auto", ComputeDevice.CPU, unasked(ZEN3)).dtype());
        assertEquals(ForwardDtype.FLOAT32, DtypeChoice.resolve("fp32", ComputeDevice.CPU, unasked(XEON)).dtype());
        Hardware ampere = Hardware.of("x", Set.of("avx512_bf16"), OptionalInt.of(80));
        assertEquals(ForwardDtype.BFLOAT16, DtypeChoice.resolve("auto", ComputeDevice.CUDA, unasked(ampere)).dtype());
    }

    @Test
    void cudaNeedsComputeCapabilityEight() {
        Hardware turing = Hardware.of("x", Set.of("avx2"), OptionalInt.of(75));
        Hardware ampere = Hardware.of("x", Set.of("avx2"), OptionalInt.of(80));
        Hardware ada = Hardware.of("x", Set.of(), OptionalInt.of(89));
        assertEquals(ForwardDtype.FLOAT32, DtypeChoice.resolve("auto", ComputeDevice.CUDA, turing).dtype());
        assertEquals("forward dtype: fp32 (CUDA device 0 has no native bf16: compute capability 7.5, bf16 needs 8.0)",
                DtypeChoice.resolve("auto", ComputeDevice.CUDA, turing).line());
        assertEquals(ForwardDtype.BFLOAT16, DtypeChoice.resolve("auto", ComputeDevice.CUDA, ampere).dtype());
        assertEquals(ForwardDtype.BFLOAT16, DtypeChoice.resolve("auto", ComputeDevice.CUDA, ada).dtype());
        // the CPU's answer does not matter for a CUDA run, nor the GPU's for a CPU run
        assertEquals(ForwardDtype.FLOAT32, DtypeChoice.resolve("auto", ComputeDevice.CUDA,
                Hardware.of("x", Set.of("avx512_bf16"), OptionalInt.empty())).dtype());
        assertEquals(ForwardDtype.FLOAT32, DtypeChoice.resolve("auto", ComputeDevice.CPU, ampere).dtype());
    }

    @Test
    void explicitChoicesWinAndEmulatedBf16Warns() {
        assertEquals(ForwardDtype.FLOAT32, DtypeChoice.resolve("fp32", ComputeDevice.CPU, ZEN5).dtype());
        assertEquals(ForwardDtype.FLOAT32, DtypeChoice.resolve("float32", ComputeDevice.CPU, ZEN5).dtype());
        DtypeChoice slow = DtypeChoice.resolve("bf16", ComputeDevice.CPU, ZEN3);
        assertEquals(ForwardDtype.BFLOAT16, slow.dtype());
        assertFalse(slow.nativeSpeed());
        assertEquals("forward dtype: bf16 (--dtype bf16; this CPU has no native bf16: AVX2, so it is emulated)", slow.line());
        DtypeChoice fast = DtypeChoice.resolve("bfloat16", ComputeDevice.CPU, ZEN5);
        assertTrue(fast.nativeSpeed());
        assertTrue(fast.warningOnce().isEmpty());
    }

    @Test
    void aBadValueNamesTheOption() {
        InputException e = assertThrows(InputException.class, () -> DtypeChoice.resolve("fp8", ComputeDevice.CPU, ZEN3));
        assertEquals("--dtype: expected auto, fp32 or bf16, got 'fp8'", e.getMessage());
    }

    @Test
    void cpuinfoIsParsedFromTheFirstProcessor() {
        String cpuinfo = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\n"
                + "flags\t\t: fpu sse4_2 avx avx2 fma\n\nprocessor\t: 1\nmodel name\t: other\nflags\t\t: avx512_bf16\n";
        Hardware hw = Hardware.fromCpuinfo(cpuinfo, OptionalInt.empty());
        assertEquals("AMD EPYC 7B13", hw.cpuModel());
        assertTrue(hw.cpuFlags().contains("avx2"));
        assertFalse(hw.cpuNativeBf16());
        assertEquals("AVX2", hw.cpuVectorLabel());
        Hardware none = Hardware.fromCpuinfo("", OptionalInt.empty());
        assertEquals("forward dtype: fp32 (this CPU has no native bf16: CPU flags unknown)",
                DtypeChoice.resolve("auto", ComputeDevice.CPU, none).line());
    }

    @Test
    void theStoredDtypeIsNotAConstraint() {
        ModelConfig bf16 = ModelConfig.preset("sudoku-mlp");
        assertEquals(ForwardDtype.BFLOAT16, bf16.forwardDtype());
        assertEquals(ForwardDtype.FLOAT32, DtypeChoice.resolve("auto", ComputeDevice.CPU, ZEN3).apply(bf16).forwardDtype());
    }
}
