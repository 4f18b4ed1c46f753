package io.github.trm4j.model;

import static io.github.trm4j.model.HostileCheckpointTest.refused;
import static io.github.trm4j.model.HostileCheckpointTest.refusedBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every load checks every tensor's name, shape and dtype against the config, and the config's
 * recursion counts against their bounds, before any tensor data is read ({@link Checkpoint#load}
 * and the header-only {@link Checkpoint#inspect} alike).
 */
class WeightsAgainstConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static TrmModel model;

    @BeforeAll
    static void tinyModel() {
        model = TinyModels.model("sudoku-mlp-tiny", 1);
    }

    /** The tiny model's weights (changed by {@code tensors}) with its config JSON (changed by {@code config}). */
    static Path file(String name, Consumer<ObjectNode> config, Consumer<Map<String, Tensor>> tensors) throws IOException {
        ObjectNode c = (ObjectNode) model.config().toJsonNode().deepCopy();
        config.accept(c);
        return file(name, c.toString(), tensors);
    }

    static Path file(String name, String configJson, Consumer<Map<String, Tensor>> tensors) {
        Path f = dir.resolve(name + ".safetensors");
        try (PointerScope s = new PointerScope()) {
            Map<String, Tensor> m = new LinkedHashMap<>(model.state());
            tensors.accept(m);
            Map<String, String> meta = configJson == null ? Map.of() : Map.of(Checkpoint.CONFIG, configJson);
            Safetensors.write(f, m, meta, true);
        }
        return f;
    }

    private static DynamicTest both(String name, Path file, String... parts) {
        return dynamicTest(name, () -> {
            refused(file, parts);
            refusedBy(file, () -> Checkpoint.inspect(file, null), parts);
        });
    }

    @TestFactory
    Stream<DynamicTest> checkpointsThatDisagreeWithTheirConfig() throws IOException {
        return Stream.of(
                both("garbage-json", file("garbage", "{\"hiddenSize\": 64,, ]", m -> {}), "model config JSON"),
                both("no-config", file("no-config", (String) null, m -> {}), "no model config"),
                both("hidden-128-weights-64", file("wide", c -> c.put("hiddenSize", 128), m -> {}),
                        "H_init: expected shape [128] for this model config, got [64]"),
                both("n-sup-1e9", file("nsup", c -> c.put("supervisionSteps", 1_000_000_000), m -> {}),
                        "supervisionSteps: must be between 1 and 1024 (ModelConfig.MAX_SUPERVISION_STEPS), got 1000000000"),
                both("n-sup-float", file("nsup-float", c -> c.put("supervisionSteps", 1e9), m -> {}), "model config JSON field 'supervisionSteps': Cannot coerce Floating-point value (1.0E9) to `int` value"),
                both("latent-1000", file("latent", c -> c.put("latentSteps", 1000), m -> {}), "latentSteps", "ModelConfig.MAX_LATENT_STEPS"),
                both("recursions-1000", file("recursions", c -> c.put("recursions", 1000), m -> {}), "recursions", "ModelConfig.MAX_RECURSIONS"),
                both("vocab-11.7", file("vocab-float", c -> c.put("vocabSize", 11.7), m -> {}), "model config JSON field 'vocabSize': Cannot coerce Floating-point value (11.7)"),
                both("field-missing", file("no-layers", c -> c.remove("layers"), m -> {}), "model config JSON field 'layers': Cannot map `null` into type `int`"),
                both("field-unknown", file("extra-field", c -> c.put("hidenSize", 3), m -> {}), "model config JSON", "hidenSize"),
                both("tensor-missing", file("missing", c -> {}, m -> m.remove("L_init")), "L_init: missing from the weights"),
                both("tensor-unknown", file("unknown", c -> {}, m -> m.put("extra.weight", torch.zeros(2))),
                        "'extra.weight': unknown tensor for this model config"),
                both("tensor-integer", file("integer", c -> {}, m -> m.put("lm_head.weight", torch.zeros(11, 64).to(ScalarType.Long))),
                        "lm_head.weight: expected floating-point values, got I64"),
                both("tensor-transposed", file("transposed", c -> {}, m -> m.put("lm_head.weight", torch.zeros(64, 11))),
                        "lm_head.weight: expected shape [11, 64] for this model config, got [64, 11]"));
    }

    @TestFactory
    Stream<DynamicTest> officialConfigsOutOfBounds() throws Exception {
        Path src = Path.of(getClass().getResource("/fixtures/checkpoint/official/step_42").toURI());
        String yaml = Files.readString(src.resolveSibling("all_config.yaml"));
        return Stream.of(
                official("halt-max-steps-1e9", src, yaml.replace("halt_max_steps: 3", "halt_max_steps: 1000000000"),
                        "supervisionSteps: must be between 1 and 1024"),
                official("l-cycles-1e6", src, yaml.replace("L_cycles: 2", "L_cycles: 1000000"), "latentSteps: must be between 1 and 64"),
                official("h-cycles-float", src, yaml.replace("H_cycles: 2", "H_cycles: 2.5"), "arch.H_cycles: expected an integer, got '2.5'"),
                official("hidden-wrong", src, yaml.replace("hidden_size: 8", "hidden_size: 16"), "does not match arch.hidden_size 16"),
                official("alias-bomb", src, "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                        + "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
                        + "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
                        + "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\narch: {x: *g}\n", "arch.hidden_size: missing")); // aliases are never expanded
    }

    private static DynamicTest official(String name, Path src, String yaml, String... parts) {
        return dynamicTest(name, () -> {
            Path run = Files.createDirectories(dir.resolve(name));
            Path step = Files.copy(src, run.resolve("step_42"));
            Files.writeString(run.resolve("all_config.yaml"), yaml);
            var e = org.junit.jupiter.api.Assertions.assertThrows(io.github.trm4j.InputException.class, () -> Checkpoint.load(step).close());
            for (String p : parts) org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
            org.junit.jupiter.api.Assertions.assertFalse(e.getMessage().contains("\n"), e.getMessage());
        });
    }

    @Test
    void aValidCheckpointIsInspectedWithoutReadingItsDataAndCountsItsParameters() throws IOException {
        Path f = file("valid", c -> {}, m -> {});
        ModelConfig c = Checkpoint.inspect(f, null);
        assertEquals(model.config(), c);
        long counted = model.parameters().values().stream().mapToLong(Tensor::numel).sum();
        assertEquals(counted, ModelInfo.of(null, c).parameters());
    }
}
