package io.github.trm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.trm4j.model.Backend;
import io.github.trm4j.model.Checkpoint;
import io.github.trm4j.model.ModelConfig;
import io.github.trm4j.model.OfficialCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvertCommandTest {
    @TempDir
    Path dir;

    Path step;
    String err;

    @BeforeAll
    static void backend() {
        Backend.init();
    }

    /** step_42 with its all_config.yaml, copied into a fresh folder. */
    @BeforeEach
    void officialRun() throws Exception {
        Path src = Path.of(ConvertCommandTest.class.getResource("/fixtures/checkpoint/official/step_42").toURI());
        Files.createDirectories(dir.resolve("run"));
        step = Files.copy(src, dir.resolve("run/step_42"));
        Files.copy(src.resolveSibling("all_config.yaml"), dir.resolve("run/all_config.yaml"));
    }

    private int trm(String... args) {
        CliRun r = CliRun.of(args);
        err = r.err();
        return r.exitCode();
    }

    private void assertUserError(int code, String... parts) {
        assertEquals(2, code, err);
        assertTrue(err.startsWith("trm: "), err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
        for (String p : parts) assertTrue(err.contains(p), "'" + p + "' not in: " + err);
    }

    @Test
    void convertsAnOfficialCheckpointWithConfigAndProvenance() throws IOException {
        Path model = dir.resolve("model.safetensors");
        assertUserError(trm("convert", "--checkpoint", step.toString(), "--out", model.toString()),
                "seq_len: cannot be inferred", "--seq-len");
        assertEquals(0, trm("convert", "--checkpoint", step.toString(), "--seq-len", "6", "--out", model.toString()), err);
        assertTrue(err.startsWith("wrote " + model + ": 15 tensors"), err);
        try (PointerScope s = new PointerScope();
                Checkpoint converted = Checkpoint.load(model);
                OfficialCheckpoint.Contents original = OfficialCheckpoint.read(step)) {
            assertEquals(Checkpoint.Format.SAFETENSORS, converted.format());
            assertEquals(List.copyOf(original.tensors().keySet()), List.copyOf(converted.tensors().keySet()));
            original.tensors().forEach((k, t) -> assertTrue(torch.equal(t, converted.tensors().get(k)), k));
            ModelConfig config = ModelConfig.fromJson(converted.config().orElseThrow());
            assertEquals(8, config.hiddenSize());
            assertEquals(5, config.vocabSize(), "from the embedding's shape");
            assertEquals(3, config.numPuzzleIdentifiers(), "from the puzzle table's shape");
            assertEquals(6, config.seqLen(), "from --seq-len: rope attention weights do not fix it");
            assertEquals(2, config.latentSteps(), "L_cycles");
            assertEquals(ModelConfig.ForwardDtype.FLOAT32, config.forwardDtype());
            assertEquals(OptionalLong.of(42), converted.step());
            assertEquals(io.github.trm4j.Provenance.name(step), converted.metadata().get(Checkpoint.SOURCE));
            assertEquals("data/tiny", converted.metadata().get(Checkpoint.DATASET));
            assertTrue(converted.metadata().containsKey(Checkpoint.TRM4J_VERSION));
            assertTrue(converted.metadata().get(Checkpoint.CONVERTED_AT).matches("\\d{4}-\\d\\d-\\d\\dT.*Z"));
            assertEquals(0.999, new ObjectMapper().readTree(converted.metadata().get("official_config")).get("ema_rate").asDouble());
        }
    }

    @Test
    void refusesToOverwriteUnlessForced() throws IOException {
        Path model = dir.resolve("model.safetensors");
        Files.writeString(model, "precious");
        assertUserError(trm("convert", "--checkpoint", step.toString(), "--out", model.toString()),
                "model.safetensors: output file exists (pass --force");
        assertEquals("precious", Files.readString(model));
        assertEquals(0, trm("convert", "--checkpoint", step.toString(), "--seq-len", "6", "--out", model.toString(), "--force"), err);
        assertEquals(Checkpoint.Format.SAFETENSORS, Checkpoint.sniff(model));
    }

    @Test
    void toOfficialAndBackAgain() {
        Path model = dir.resolve("model.safetensors"), official = dir.resolve("official.safetensors");
        Path again = dir.resolve("again.safetensors");
        assertEquals(0, trm("convert", "--checkpoint", step.toString(), "--seq-len", "6", "--out", model.toString()), err);
        assertEquals(0, trm("convert", "--checkpoint", model.toString(), "--to-official", "--out", official.toString()), err);
        assertTrue(err.contains("(official names)"), err);
        var names = io.github.trm4j.model.Safetensors.readHeader(official).entries().keySet();
        assertTrue(names.stream().allMatch(n -> n.startsWith("_orig_mod.model.inner.")), names.toString());
        assertTrue(names.contains("_orig_mod.model.inner.L_level.layers.0.self_attn.qkv_proj.weight"));
        // and back: the official-named file converts to trm4j again, config carried in its metadata
        assertEquals(0, trm("convert", "--checkpoint", official.toString(), "--out", again.toString()), err);
        try (PointerScope s = new PointerScope(); Checkpoint a = Checkpoint.load(model); Checkpoint b = Checkpoint.load(again)) {
            assertEquals(a.tensors().keySet(), b.tensors().keySet());
            a.tensors().forEach((k, t) -> assertTrue(torch.equal(t, b.tensors().get(k)), k));
            assertEquals(a.config(), b.config());
        }
    }

    @Test
    void configFromTheFlagWhenNoneIsBeside() throws IOException {
        Path lone = Files.copy(step, dir.resolve("step_42"));
        Path model = dir.resolve("model.safetensors");
        assertUserError(trm("convert", "--checkpoint", lone.toString(), "--out", model.toString()),
                "step_42: no model config", "--config");
        assertFalse(Files.exists(model));
        assertEquals(0, trm("convert", "--checkpoint", lone.toString(), "--config",
                dir.resolve("run/all_config.yaml").toString(), "--seq-len", "6", "--out", model.toString()), err);
    }

    @Test
    void hostileAndBrokenInputsAreUserErrors() throws Exception {
        Path fixtures = Path.of(ConvertCommandTest.class.getResource("/fixtures/checkpoint").toURI());
        String o = dir.resolve("x.safetensors").toString();
        assertUserError(trm("convert", "--checkpoint", fixtures.resolve("hostile_os_system.pt").toString(), "--out", o),
                "os.system", "refusing to load");
        assertUserError(trm("convert", "--checkpoint", fixtures.resolve("truncated.pt").toString(), "--out", o), "truncated");
        assertUserError(trm("convert", "--checkpoint", dir.resolve("missing").toString(), "--out", o), "no such file");
        assertEquals(2, trm("convert", "--out", o));
        assertTrue(err.contains("Missing required option: '--checkpoint=FILE'"), err);
        assertFalse(Files.exists(Path.of(o)));
    }
}
