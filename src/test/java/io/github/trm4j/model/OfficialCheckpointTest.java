package io.github.trm4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reads the torch.save fixtures that tools/fixtures/make_checkpoint_fixtures.py wrote with PyTorch. */
class OfficialCheckpointTest {
    @BeforeAll
    static void backend() {
        Backend.init();
    }

    static Path fixture(String name) {
        try {
            return Path.of(OfficialCheckpointTest.class.getResource("/fixtures/checkpoint/" + name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static double[] values(Tensor t) {
        Tensor d = t.to(ScalarType.Double).contiguous().reshape(-1);
        double[] out = new double[(int) d.numel()];
        d.data_ptr_double().get(out);
        return out;
    }

    private static void assertTensor(Tensor t, ScalarType dtype, long[] shape, double... expected) {
        assertEquals(dtype, t.scalar_type().intern());
        assertArrayEquals(shape, t.shape());
        assertArrayEquals(expected, values(t), 1e-12);
    }

    /** dtypes.pt and its variants: protocol 4, the old "archive/" folder, big-endian storages. */
    @ParameterizedTest
    @ValueSource(strings = {"dtypes.pt", "protocol4.pt", "archive_folder.pt", "bigendian.pt"})
    void readsEveryStorageTypeWithHalfTypesWidenedToFloat(String name) {
        try (PointerScope s = new PointerScope();
                OfficialCheckpoint.Contents c = OfficialCheckpoint.read(fixture(name))) {
            Map<String, Tensor> t = c.tensors();
            assertEquals(List.of("f32", "bf16", "f16", "f64", "i64", "i32", "i16", "i8", "u8", "bool", "scalar"),
                    List.copyOf(t.keySet()));
            assertTensor(t.get("f32"), ScalarType.Float, new long[] {2, 3}, -1, -0.5, 0, 0.5, 1, 1.5);
            assertTensor(t.get("bf16"), ScalarType.Float, new long[] {4}, 1.5, -2, 0.25, 3);
            assertTensor(t.get("f16"), ScalarType.Float, new long[] {2, 2}, 0, 0.125, 0.25, 0.375);
            assertTensor(t.get("f64"), ScalarType.Double, new long[] {2}, 0.1, -7);
            assertTensor(t.get("i64"), ScalarType.Long, new long[] {3}, -1, 1L << 40, 7);
            assertTensor(t.get("i32"), ScalarType.Int, new long[] {2}, -3, 5);
            assertTensor(t.get("i16"), ScalarType.Short, new long[] {2}, -300, 12);
            assertTensor(t.get("i8"), ScalarType.Char, new long[] {2}, -5, 6);
            assertTensor(t.get("u8"), ScalarType.Byte, new long[] {3}, 0, 200, 255);
            assertTensor(t.get("bool"), ScalarType.Bool, new long[] {4}, 1, 0, 0, 1);
            assertTensor(t.get("scalar"), ScalarType.Float, new long[0], 2.5);
        }
    }

    @Test
    void honoursOffsetsStridesAndSharedStorages() {
        try (PointerScope s = new PointerScope();
                OfficialCheckpoint.Contents c = OfficialCheckpoint.read(fixture("views.pt"))) {
            Map<String, Tensor> t = c.tensors();
            double[] base = new double[24];
            for (int i = 0; i < 24; i++) base[i] = i;
            assertTensor(t.get("base"), ScalarType.Float, new long[] {4, 6}, base);
            assertTensor(t.get("tied"), ScalarType.Float, new long[] {4, 6}, base);
            assertTensor(t.get("transposed"), ScalarType.Float, new long[] {6, 4},
                    0, 6, 12, 18, 1, 7, 13, 19, 2, 8, 14, 20, 3, 9, 15, 21, 4, 10, 16, 22, 5, 11, 17, 23);
            assertTensor(t.get("row2"), ScalarType.Float, new long[] {6}, 12, 13, 14, 15, 16, 17);
            assertTensor(t.get("col1"), ScalarType.Float, new long[] {4}, 1, 7, 13, 19);
            assertTensor(t.get("narrowed"), ScalarType.Float, new long[] {4}, 3, 4, 5, 6);
            assertTensor(t.get("bf16_col"), ScalarType.Float, new long[] {3}, 2, 6, 10);
            for (Tensor x : t.values()) assertTrue(x.is_contiguous());
            // Every tensor owns its memory: writing one leaves the tensors that shared its storage alone.
            t.get("base").zero_();
            assertEquals(276.0, t.get("tied").sum().item_double());
            assertEquals(40.0, t.get("col1").sum().item_double());
        }
    }

    @Test
    void officialStepFileMatchesTheIndependentlyWrittenExpectation() {
        Path step = fixture("official/step_42");
        try (PointerScope s = new PointerScope();
                OfficialCheckpoint.Contents c = OfficialCheckpoint.read(step);
                Safetensors.Contents expected = Safetensors.read(fixture("official/expected.safetensors"))) {
            assertEquals(OptionalLong.of(42), c.step());
            assertEquals(List.copyOf(expected.tensors().keySet()), List.copyOf(c.tensors().keySet()));
            assertTrue(c.tensors().containsKey("L_level.layers.1.mlp.gate_up_proj.weight"));
            assertTrue(c.tensors().containsKey("H_init"));
            for (String k : expected.tensors().keySet()) {
                assertTrue(torch.equal(expected.tensors().get(k), c.tensors().get(k)), k);
            }
            Map<String, WeightLayout.Found> found = OfficialCheckpoint.found(step);
            assertEquals(c.tensors().keySet(), found.keySet());
            assertArrayEquals(new long[] {3, 8}, found.get("puzzle_emb.weights").shape());
            assertArrayEquals(new long[] {512, 8}, found.get("L_level.layers.0.mlp.gate_up_proj.weight").shape());
            assertEquals("BF16", found.get("H_init").dtype());
        }
    }

    @Test
    void tinyChunksReadTheSameStorages() {
        try (PointerScope s = new PointerScope();
                OfficialCheckpoint.Contents whole = OfficialCheckpoint.read(fixture("official/step_42"));
                OfficialCheckpoint.Contents chunked = OfficialCheckpoint.read(fixture("official/step_42"), 7)) {
            whole.tensors().forEach((k, t) -> assertTrue(torch.equal(t, chunked.tensors().get(k)), k));
        }
    }

    @Test
    void readsAllConfigYaml() {
        OfficialCheckpoint.Config cfg = OfficialCheckpoint.readConfig(
                OfficialCheckpoint.configBeside(fixture("official/step_42")).orElseThrow());
        assertEquals(8, cfg.arch().get("hidden_size").asInt());
        assertEquals("rope", cfg.arch().get("pos_encodings").asText());
        assertFalse(cfg.arch().get("mlp_t").asBoolean());
        assertEquals(1e-4, cfg.tree().get("lr").asDouble());
        assertEquals(0.999, cfg.tree().get("ema_rate").asDouble());
        assertEquals(OptionalLong.empty(), OfficialCheckpoint.step(fixture("dtypes.pt")));
    }

    @Test
    void stripsBothPrefixesWhereverPresent() {
        assertEquals("H_init", OfficialCheckpoint.strip("_orig_mod.model.inner.H_init"));
        assertEquals("H_init", OfficialCheckpoint.strip("model.inner.H_init"));
        assertEquals("lm_head.weight", OfficialCheckpoint.strip("_orig_mod.lm_head.weight"));
        assertEquals("lm_head.weight", OfficialCheckpoint.strip("lm_head.weight"));
    }
}
