package io.github.trm4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.data.Npy;
import io.github.trm4j.data.NpyType;
import io.github.trm4j.model.Backend;
import io.github.trm4j.model.Ops;
import io.github.trm4j.model.Safetensors;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trm trace} on an official-style checkpoint reproduces the PyTorch reference's per-step outputs. */
class TraceCommandTest {
    private static final Path CASE = Path.of("src/test/resources/fixtures/parity/att");

    @TempDir
    Path dir;

    @BeforeAll
    static void backend() {
        Backend.init();
    }

    @Test
    void writesEveryStepAsTheReferenceComputesIt() {
        float[] logits, qHalt;
        long[] logitShape;
        try (PointerScope scope = new PointerScope(); Safetensors.Contents ref = Safetensors.read(CASE.resolve("case.safetensors"))) {
            var t = ref.tensors();
            long[] in = t.get("inputs").shape();
            Npy.writeInts(dir.resolve("x.npy"), NpyType.INT64, in, ints(t.get("inputs")));
            Npy.writeInts(dir.resolve("p.npy"), NpyType.INT32, t.get("puzzle_identifiers").shape(), ints(t.get("puzzle_identifiers")));
            logits = Ops.toFloats(t.get("logits"));
            logitShape = t.get("logits").shape();
            qHalt = Ops.toFloats(t.get("q_halt"));
        }
        Path out = dir.resolve("trace");
        CliRun r = CliRun.of("trace", "--checkpoint", CASE.resolve("step_0").toString(), "--inputs", dir.resolve("x.npy").toString(),
                "--puzzle-ids", dir.resolve("p.npy").toString(), "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertArrayEquals(logitShape, Npy.header(out.resolve("logits.npy")).shape());
        assertClose(logits, Npy.readFloats(out.resolve("logits.npy")));
        assertClose(qHalt, Npy.readFloats(out.resolve("q_halt.npy")));
        assertEquals(NpyType.INT32, Npy.header(out.resolve("preds.npy")).type());
        int[] preds = Npy.readInts(out.resolve("preds.npy"));
        int v = (int) logitShape[3];
        float[] mine = Npy.readFloats(out.resolve("logits.npy"));
        for (int i = 0; i < preds.length; i++) {
            for (int k = 0; k < v; k++) assertTrue(mine[i * v + k] <= mine[i * v + preds[i]], "preds are the argmax of the logits");
        }

        CliRun again = CliRun.of("trace", "--checkpoint", CASE.resolve("step_0").toString(), "--inputs", dir.resolve("x.npy").toString(),
                "--steps", "5", "--out", out.toString());
        assertEquals(2, again.exitCode(), "a non-empty --out is refused");
        assertTrue(again.err().contains("--force"), again.err());
        assertEquals(0, CliRun.of("trace", "--checkpoint", CASE.resolve("step_0").toString(), "--inputs", dir.resolve("x.npy").toString(),
                "--steps", "5", "--force", "--out", out.toString()).exitCode());
        assertEquals(5, Npy.header(out.resolve("q_halt.npy")).shape()[0], "--steps may go past N_sup");
    }

    @Test
    void badInputsAreOneLineUserErrors() throws Exception {
        Npy.writeInts(dir.resolve("flat.npy"), NpyType.INT32, new long[] {3}, new int[] {1, 2, 3});
        CliRun r = CliRun.of("trace", "--checkpoint", CASE.resolve("step_0").toString(), "--inputs", dir.resolve("flat.npy").toString(),
                "--out", dir.resolve("t").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("trm: ") && r.err().contains("flat.npy: expected a [B, S] integer array"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertFalse(Files.exists(dir.resolve("t")));

        Npy.writeInts(dir.resolve("big.npy"), NpyType.INT32, new long[] {1, 4}, new int[] {1, 2, 3, 99});
        r = CliRun.of("trace", "--checkpoint", CASE.resolve("step_0").toString(), "--inputs", dir.resolve("big.npy").toString(),
                "--out", dir.resolve("t").toString());
        assertEquals(2, r.exitCode(), r.err());
        assertFalse(Files.exists(dir.resolve("t")), "nothing is left behind");
    }

    private static int[] ints(org.bytedeco.pytorch.Tensor t) {
        float[] f = Ops.toFloats(t);
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) out[i] = (int) f[i];
        return out;
    }

    private static void assertClose(float[] ref, float[] actual) {
        assertEquals(ref.length, actual.length);
        double scale = 0, diff = 0;
        for (int i = 0; i < ref.length; i++) {
            scale = Math.max(scale, Math.abs(ref[i]));
            diff = Math.max(diff, Math.abs(ref[i] - actual[i]));
        }
        assertTrue(diff <= 1e-4 * scale, "max |Δ| " + diff + " > 1e-4 · " + scale);
    }
}
