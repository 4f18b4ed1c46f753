package io.github.trm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.model.ComputeDevice;
import io.github.trm4j.model.DtypeChoice;
import io.github.trm4j.model.Hardware;
import io.github.trm4j.model.ModelConfig;
import io.github.trm4j.model.ModelConfig.ForwardDtype;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A resumed run keeps its dtype where the hardware computes it natively, and says why when it changes. */
class ResumeDtypeTest {
    static final Hardware AVX2 = Hardware.of("zen3", Set.of("avx2"), OptionalInt.empty());
    static final Hardware BF16 = Hardware.of("zen5", Set.of("avx2", "avx512f", "avx512_bf16"), OptionalInt.empty());

    static RunState.Saved saved(ForwardDtype dtype) {
        ModelConfig c = ModelConfig.preset("sudoku-mlp-tiny").withForwardDtype(dtype);
        return new RunState.Saved(c, null, 120, 500, null, 0, Map.of(), "../data", null, Map.of());
    }

    static TrainRequest resume(String dtype) {
        return new TrainRequest(null, null, null, null, java.nio.file.Path.of("run"), null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, false, null, null, null, dtype, null, null, false, false, null, null);
    }

    @Test
    void keepsItsDtypeWhereNative() {
        assertEquals(ForwardDtype.BFLOAT16, TrainPlan.resumeDtype(resume(null), saved(ForwardDtype.BFLOAT16), ComputeDevice.CPU, BF16).dtype());
        assertEquals(ForwardDtype.FLOAT32, TrainPlan.resumeDtype(resume(null), saved(ForwardDtype.FLOAT32), ComputeDevice.CPU, BF16).dtype());
        assertEquals(ForwardDtype.FLOAT32, TrainPlan.resumeDtype(resume(null), saved(ForwardDtype.FLOAT32), ComputeDevice.CPU, AVX2).dtype());
    }

    @Test
    void aBf16RunContinuesInFp32WithoutNativeBf16AndSaysSo() {
        DtypeChoice c = TrainPlan.resumeDtype(resume(null), saved(ForwardDtype.BFLOAT16), ComputeDevice.CPU, AVX2);
        assertEquals(ForwardDtype.FLOAT32, c.dtype());
        assertEquals("forward dtype: fp32 (the run computed in bf16 until step 120, but this CPU has no native bf16: AVX2, "
                + "so it continues in fp32, not bit for bit)", c.line());
    }

    @Test
    void anExplicitDtypeWinsAndSaysTheRunChanges() {
        DtypeChoice c = TrainPlan.resumeDtype(resume("bf16"), saved(ForwardDtype.FLOAT32), ComputeDevice.CPU, BF16);
        assertEquals(ForwardDtype.BFLOAT16, c.dtype());
        assertTrue(c.reason().endsWith("the run computed in fp32 until step 120, so it does not continue bit for bit"), c.reason());
    }
}
