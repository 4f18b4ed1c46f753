package io.github.trm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.trm4j.model.Backend;
import io.github.trm4j.model.Checkpoint;
import io.github.trm4j.model.ComputeDevice;
import io.github.trm4j.model.ModelConfig;
import io.github.trm4j.model.Safetensors;
import io.github.trm4j.model.TrmModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad checkpoints and step counts at the command line: exit 2, one escaped {@code trm:} line, nothing written. */
class HostileCheckpointCliTest {
    @TempDir
    Path dir;

    static TrmModel model;

    @BeforeAll
    static void tinyModel() {
        Backend.init();
        model = TrmModel.initialise(ModelConfig.preset("sudoku-mlp-tiny"), 1, ComputeDevice.CPU);
    }

    private Path checkpoint(String name, String config, Consumer<Map<String, Tensor>> change) {
        Path f = dir.resolve(name);
        try (PointerScope s = new PointerScope()) {
            Map<String, Tensor> m = new LinkedHashMap<>(model.state());
            change.accept(m);
            Safetensors.write(f, m, Map.of(Checkpoint.CONFIG, config), false);
        }
        return f;
    }

    private static void assertRefused(CliRun r, String... parts) {
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("trm: "), r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        String line = r.err().strip();
        for (char c : line.toCharArray()) assertFalse(c < 0x20 || c == 0x7f, "raw control character in: " + line);
        for (String p : parts) assertTrue(r.err().contains(p), "'" + p + "' not in: " + r.err());
    }

    @Test
    void infoAndConvertRefuseWeightsThatDisagreeWithTheConfig() {
        String config = model.config().toJson();
        Path missing = checkpoint("missing.safetensors", config, m -> m.remove("L_init"));
        Path out = dir.resolve("out.safetensors");
        assertRefused(CliRun.of("info", "--checkpoint", missing.toString()), "L_init: missing from the weights");
        assertRefused(CliRun.of("convert", "--checkpoint", missing.toString(), "--to-official", "--out", out.toString()),
                "L_init: missing from the weights");
        assertFalse(Files.exists(out));
        Path wide = checkpoint("wide.safetensors", config.replace("\"hiddenSize\":64", "\"hiddenSize\":128"), m -> {});
        assertRefused(CliRun.of("info", "--checkpoint", wide.toString()), "H_init: expected shape [128]", "got [64]");
        Path nsup = checkpoint("nsup.safetensors", config.replace("\"supervisionSteps\":4", "\"supervisionSteps\":1000000000"), m -> {});
        assertRefused(CliRun.of("info", "--checkpoint", nsup.toString()), "ModelConfig.MAX_SUPERVISION_STEPS");
        assertRefused(CliRun.of("info", "--checkpoint", checkpoint("garbage.safetensors", "{{{", m -> {}).toString()),
                "model config JSON");
    }

    @Test
    void infoCountsTheParametersOfTheWeightsItChecked() throws Exception {
        Path ok = checkpoint("ok.safetensors", model.config().toJson(), m -> {});
        CliRun r = CliRun.of("info", "--checkpoint", ok.toString());
        assertEquals(0, r.exitCode(), r.err());
        long counted = model.parameters().values().stream().mapToLong(Tensor::numel).sum();
        assertEquals(counted, new ObjectMapper().readTree(r.out()).get("parameters").asLong());
    }

    @Test
    void namesWithTerminalCodesAreEscaped() {
        String fake = "\r\u001b[2K\u001b[32mtrm: converted OK\u001b[0m";
        Path f = checkpoint("ansi.safetensors", model.config().toJson(), m -> m.put("w" + fake, torch.zeros(1)));
        assertRefused(CliRun.of("info", "--checkpoint", f.toString()), "'w\\r\\u001b[2K\\u001b[32mtrm: converted OK\\u001b[0m'");
    }

    @Test
    void stepCountsAreBoundedEverywhere() {
        Path out = dir.resolve("trace");
        Path x = dir.resolve("x.npy");
        io.github.trm4j.data.Npy.writeInts(x, io.github.trm4j.data.NpyType.INT64, new long[] {1, 81}, new int[81]);
        assertRefused(CliRun.of("trace", "--checkpoint", "src/test/resources/fixtures/parity/att/step_0", "--inputs", x.toString(),
                "--steps", "100000000", "--out", out.toString()), "--steps: must be between 1 and 1024");
        assertFalse(Files.exists(out));
        assertRefused(CliRun.of("solve", "--sudoku", SolveCommandTest.EULER, "--steps", "5000", "--dtype", "fp32"),
                "steps: must be between 1 and 1024");
    }
}
