package io.github.trm4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.trm4j.InputException;
import io.github.trm4j.model.ModelConfig.ForwardDtype;
import io.github.trm4j.model.ModelConfig.Mixer;
import io.github.trm4j.model.ModelConfig.PosEncoding;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelConfigTest {
    @ParameterizedTest
    @CsvSource({"sudoku-mlp, 5028866", "sudoku-att, 6828034", "maze-att, 6822914", "maze-mlp, 18795522",
            "arc1-att, 6829058", "arc2-att, 6829058"})
    void parameterCountsMatchSection110(String preset, long expected) {
        assertEquals(expected, ModelConfig.preset(preset).parameterCount());
    }

    @ParameterizedTest
    @CsvSource({"sudoku-mlp-small, 1483778", "sudoku-mlp-tiny, 227330", "sudoku-att-tiny, 132610"})
    void ownPresetCounts(String preset, long expected) {
        assertEquals(expected, ModelConfig.preset(preset).parameterCount());
    }

    @Test
    void puzzleTablesAreNotCounted() {
        assertEquals(876_406, ModelConfig.preset("arc1-att").puzzleTableRows());
        assertEquals(1_191_730, ModelConfig.preset("arc2-att").puzzleTableRows());
        assertEquals(1, ModelConfig.preset("sudoku-mlp").puzzleTableRows());
    }

    @Test
    void swigluInnerSizesMatchSection11() {
        assertEquals(1536, WeightLayout.swigluInner(512, 4));
        assertEquals(512, WeightLayout.swigluInner(97, 4));
        assertEquals(2560, WeightLayout.swigluInner(916, 4));
        assertEquals(256, WeightLayout.swigluInner(81, 4));
        assertEquals(2560, WeightLayout.swigluInner(900, 4));
        // exact .5 rounds half to even: 1.5·1·2/3 = 1 (no tie); 0.75·3·2/3 = 1.5 → 2, 0.75·5·2/3 = 2.5 → 2
        assertEquals(256, WeightLayout.swigluInner(3, 0.75));
        assertEquals(Math.rint(2.5), 2.0);
    }

    @Test
    void paperPresetsUseThePaperRecipe() {
        ModelConfig c = ModelConfig.preset("maze-att");
        assertEquals(4, c.latentSteps());
        assertEquals(3, c.recursions());
        assertEquals(16, c.supervisionSteps());
        assertEquals(916, c.fullSeqLen());
        assertEquals(ForwardDtype.BFLOAT16, c.forwardDtype());
        assertEquals(6, ModelConfig.preset("sudoku-att").latentSteps());
    }

    @Test
    void validationNamesTheField() {
        InputException e = assertThrows(InputException.class, () -> new ModelConfig(510, 8, 4, 2, 6, 3, 16, 0.1,
                512, 16, PosEncoding.ROPE, 1e4, 1e-5, Mixer.ATTENTION, ForwardDtype.FLOAT32, 11, 81, 1));
        assertTrue(e.getMessage().contains("numHeads"), e.getMessage());
        e = assertThrows(InputException.class, () -> ModelConfig.preset("sudoku-mlp").withData(11, 0, 1));
        assertTrue(e.getMessage().contains("seqLen"), e.getMessage());
        e = assertThrows(InputException.class, () -> new ModelConfig(64, 4, 4, 2, 2, 2, 4, 1.5, 64, 2,
                PosEncoding.NONE, 1e4, 1e-5, Mixer.MLP, ForwardDtype.FLOAT32, 11, 81, 1));
        assertTrue(e.getMessage().contains("haltExplorationProb"), e.getMessage());
        e = assertThrows(InputException.class, () -> ModelConfig.preset("nope"));
        assertTrue(e.getMessage().contains("sudoku-mlp"), e.getMessage());
    }

    @Test
    void jsonRoundTrips() {
        for (String name : ModelConfig.presetNames()) {
            ModelConfig c = ModelConfig.preset(name);
            assertEquals(c, ModelConfig.fromJson(c.toJson()));
        }
        assertTrue(ModelConfig.preset("sudoku-mlp").toJson().contains("\"latentSteps\":6"));
    }

    @Test
    void badJsonNamesTheField() {
        String json = ModelConfig.preset("sudoku-att-tiny").toJson().replace("\"hiddenSize\":64", "\"hiddenSize\":-1");
        InputException e = assertThrows(InputException.class, () -> ModelConfig.fromJson(json));
        assertTrue(e.getMessage().contains("hiddenSize"), e.getMessage());
        assertThrows(InputException.class, () -> ModelConfig.fromJson("{\"hiddenSize\": \"x\"}"));
    }

    private static final String SUDOKU_MLP_ARCH = String.join("\n",
            "name: recursive_reasoning.trm@TinyRecursiveReasoningModel_ACTV1",
            "loss: {name: losses@ACTLossHead, loss_type: stablemax_cross_entropy}",
            "halt_exploration_prob: 0.1", "halt_max_steps: 16", "H_cycles: 3", "L_cycles: 6", "H_layers: 0",
            "L_layers: 2", "hidden_size: 512", "num_heads: 8", "expansion: 4", "puzzle_emb_ndim: 512",
            "pos_encodings: none", "forward_dtype: bfloat16", "mlp_t: true", "puzzle_emb_len: 16",
            "no_ACT_continue: true");

    private static JsonNode yaml(String text) throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(text);
    }

    private static Map<String, long[]> shapes(int vocab, int ids, Integer mixLen) {
        Map<String, long[]> s = new HashMap<>();
        s.put("embed_tokens.embedding_weight", new long[] {vocab, 512});
        s.put("puzzle_emb.weights", new long[] {ids, 512});
        if (mixLen != null) {
            s.put("L_level.layers.0.mlp_t.gate_up_proj.weight", new long[] {1024, mixLen});
        }
        return s;
    }

    @Test
    void officialMlpConfigMapsToThePreset() throws Exception {
        ModelConfig c = ModelConfig.fromOfficial(yaml(SUDOKU_MLP_ARCH), shapes(11, 1, 97));
        assertEquals(ModelConfig.preset("sudoku-mlp"), c);
    }

    @Test
    void officialAttentionConfigNeedsSeqLen() throws Exception {
        String arch = SUDOKU_MLP_ARCH.replace("mlp_t: true", "mlp_t: false").replace("pos_encodings: none",
                "pos_encodings: rope").replace("L_cycles: 6", "L_cycles: 4");
        InputException e = assertThrows(InputException.class,
                () -> ModelConfig.fromOfficial(yaml(arch), shapes(12, 876_406, null)));
        assertTrue(e.getMessage().startsWith("seq_len"), e.getMessage());
        ModelConfig c = ModelConfig.fromOfficial(yaml(arch), shapes(12, 876_406, null), OptionalInt.of(900));
        assertEquals(ModelConfig.preset("arc1-att"), c);
    }

    @Test
    void officialConfigErrorsNameTheKey() throws Exception {
        InputException e = assertThrows(InputException.class, () -> ModelConfig.fromOfficial(
                yaml(SUDOKU_MLP_ARCH.replace("H_cycles: 3\n", "")), shapes(11, 1, 97)));
        assertEquals("arch.H_cycles: missing", e.getMessage());
        e = assertThrows(InputException.class, () -> ModelConfig.fromOfficial(
                yaml(SUDOKU_MLP_ARCH.replace("hidden_size: 512", "hidden_size: big")), shapes(11, 1, 97)));
        assertTrue(e.getMessage().startsWith("arch.hidden_size"), e.getMessage());
        e = assertThrows(InputException.class, () -> ModelConfig.fromOfficial(
                yaml(SUDOKU_MLP_ARCH.replace("forward_dtype: bfloat16", "forward_dtype: float16")), shapes(11, 1, 97)));
        assertTrue(e.getMessage().startsWith("arch.forward_dtype"), e.getMessage());
        e = assertThrows(InputException.class, () -> ModelConfig.fromOfficial(
                yaml(SUDOKU_MLP_ARCH), shapes(11, 1, 97), OptionalInt.of(900)));
        assertTrue(e.getMessage().startsWith("seq_len"), e.getMessage());
        e = assertThrows(InputException.class, () -> ModelConfig.fromOfficial(yaml(SUDOKU_MLP_ARCH), Map.of()));
        assertTrue(e.getMessage().startsWith("embed_tokens.embedding_weight"), e.getMessage());
        e = assertThrows(InputException.class, () -> ModelConfig.fromOfficial(
                yaml(SUDOKU_MLP_ARCH.replace("no_ACT_continue: true", "no_ACT_continue: false")), shapes(11, 1, 97)));
        assertTrue(e.getMessage().startsWith("arch.no_ACT_continue"), e.getMessage());
    }

    @Test
    void officialForwardDtypeIsHonoured() throws Exception {
        ModelConfig c = ModelConfig.fromOfficial(
                yaml(SUDOKU_MLP_ARCH.replace("forward_dtype: bfloat16", "forward_dtype: float32")), shapes(11, 1, 97));
        assertEquals(ForwardDtype.FLOAT32, c.forwardDtype());
    }
}
