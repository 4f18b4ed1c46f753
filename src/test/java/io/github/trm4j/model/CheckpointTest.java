package io.github.trm4j.model;

import static io.github.trm4j.model.OfficialCheckpointTest.fixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.InputException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void backend() {
        Backend.init();
    }

    @Test
    void sniffsTheFormatFromTheFirstBytes() {
        assertEquals(Checkpoint.Format.TORCH_ZIP, Checkpoint.sniff(fixture("official/step_42")));
        assertEquals(Checkpoint.Format.TORCH_ZIP, Checkpoint.sniff(fixture("truncated.pt")));
        assertEquals(Checkpoint.Format.SAFETENSORS, Checkpoint.sniff(fixture("official/expected.safetensors")));
        assertEquals(Checkpoint.Format.LEGACY_TORCH, Checkpoint.sniff(fixture("legacy.pt")));
        assertEquals(Checkpoint.Format.UNKNOWN, Checkpoint.sniff(fixture("official/all_config.yaml")));
    }

    @Test
    void officialCheckpointComesWithItsConfigAndProvenance() {
        Checkpoint ck;
        try (PointerScope s = new PointerScope()) {
            ck = Checkpoint.load(fixture("official/step_42"));
        }
        // the enclosing scope is closed: the tensors are still the caller's
        Tensor h = ck.tensors().get("H_init");
        assertFalse(h.isNull());
        assertEquals(ScalarType.Float, h.scalar_type().intern()); // stored as bf16
        assertEquals(Checkpoint.Format.TORCH_ZIP, ck.format());
        assertEquals(OptionalLong.of(42), ck.step());
        assertEquals(io.github.trm4j.Provenance.name(fixture("official/step_42")), ck.metadata().get(Checkpoint.SOURCE));
        assertEquals(2, ck.officialConfig().orElseThrow().arch().get("num_heads").asInt());
        assertTrue(ck.config().isEmpty());
        assertArrayEquals(new long[] {5, 8}, ck.shapes().get("embed_tokens.embedding_weight"));
        ck.close();
        assertTrue(h.isNull());
    }

    @Test
    void safetensorsWithOfficialNamesLoseTheirPrefixes() {
        Path f = dir.resolve("prefixed.safetensors");
        try (PointerScope s = new PointerScope()) {
            TrmModel model = TinyModels.model("sudoku-mlp-tiny", 3);
            Map<String, Tensor> m = new LinkedHashMap<>();
            model.state().forEach((k, t) -> m.put(k.equals("H_init") ? "_orig_mod.model.inner.H_init" : k, t));
            m.put("_orig_mod.model.inner.H_init", model.state().get("H_init").to(ScalarType.BFloat16));
            String config = model.config().toJson();
            Safetensors.write(f, m, Map.of(Checkpoint.CONFIG, config, Checkpoint.STEP, "7"), false);
            try (Checkpoint ck = Checkpoint.load(f)) {
                assertEquals(model.state().keySet(), ck.tensors().keySet());
                assertEquals(ScalarType.Float, ck.tensors().get("H_init").scalar_type().intern());
                assertEquals(config, ck.config().orElseThrow());
                assertEquals(OptionalLong.of(7), ck.step());
            }
            m.put("model.inner.H_init", torch.ones(4));
            Path dup = dir.resolve("dup.safetensors");
            Safetensors.write(dup, m, Map.of(), false);
            InputException e = assertThrows(InputException.class, () -> Checkpoint.load(dup));
            assertTrue(e.getMessage().contains("tensor 'model.inner.H_init' repeats another name"), e.getMessage());
        }
    }
}
