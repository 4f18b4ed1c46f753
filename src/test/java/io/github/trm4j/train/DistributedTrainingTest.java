package io.github.trm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.trm4j.dist.Ranks;
import io.github.trm4j.model.Backend;
import io.github.trm4j.model.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Gloo ranks on 127.0.0.1 with global batch B against one process with batch B, same seed and
 * data, puzzle embeddings and halting exploration in play: the same per-step losses and the same
 * final raw and EMA weights, optimizer moments and carry (fp32, up to the order of float sums), and
 * the same evaluation lines from test rows shared by the ranks.
 */
class DistributedTrainingTest {
    @BeforeAll
    static void backend() {
        Backend.init(1);
    }

    static TrainRequest request(String preset, Path data, Path out, long steps, Path resume) {
        // evaluations at steps 2, 4 and the end, on 7 test rows: batches of 2, rank 0 runs rows 0-1 and 4-5, rank 1 rows 2-3 and 6
        return new TrainRequest(resume == null ? preset : null, null, data, null, resume, steps, null, 2L, 3L, 7L,
                resume == null ? 8 : null, resume == null ? 2 : null, resume == null ? 3e-3 : null, resume == null ? 2L : null,
                null, null, null, null, resume == null ? 0.9 : null, false, resume == null ? 0.5 : null,
                resume == null ? 5L : null, null, null, null, resume == null ? out : null, false, false, ArchOverride.NONE, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sudoku-mlp-tiny", "sudoku-att-tiny"})
    void twoRanksTrainLikeOneProcess(String preset, @TempDir Path tmp) throws IOException {
        Path data = RandomData.write(tmp.resolve("data"), 5, 6, 3, 12, 1);
        Path alone = tmp.resolve("alone");
        Path pair = tmp.resolve("pair");
        Training.run(request(preset, data, alone, 5, null));
        Ranks.results(Ranks.run(2, (rank, g) -> Training.run(request(preset, data, pair, 5, null), List.of(), g)));

        List<JsonNode> a = TrainingTest.lines(alone, "train");
        List<JsonNode> b = TrainingTest.lines(pair, "train");
        assertEquals(5, b.size());
        for (int i = 0; i < 5; i++) {
            for (String k : new String[] {"loss", "lm_loss", "q_halt_loss"}) {
                double x = a.get(i).get(k).asDouble();
                double y = b.get(i).get(k).asDouble();
                assertEquals(x, y, 1e-5 * Math.abs(x), k + " at step " + (i + 1));
            }
            assertEquals(a.get(i).get("halted").asLong(), b.get(i).get("halted").asLong(), "halted at step " + (i + 1));
        }
        assertEquals(3, TrainingTest.lines(pair, "eval").size());
        assertEquals(TrainingTest.lines(alone, "eval").toString(), TrainingTest.lines(pair, "eval").toString(), "sharded evaluations, the same figures");
        assertSameState(alone, pair, 2e-5);
        assertTrue(Files.list(pair).noneMatch(p -> p.getFileName().toString().startsWith(".") && !p.getFileName().toString().equals(RunFolder.LOCK)), "no temporary files left");
    }

    /**
     * Every weight of the two last.safetensors (raw, ema., optim.) within {@code tol}; the carry's
     * latent states, which go through a few more recursions, within 1e-3 relative to their largest value.
     */
    static void assertSameState(Path runA, Path runB, double tol) {
        Map<String, Tensor> x = Safetensors.read(runA.resolve(RunState.LAST)).tensors();
        Map<String, Tensor> y = Safetensors.read(runB.resolve(RunState.LAST)).tensors();
        assertEquals(x.keySet(), y.keySet());
        assertTrue(x.keySet().stream().anyMatch(k -> k.startsWith("ema.")) && x.containsKey(TrainStep.PUZZLE_TABLE));
        for (String k : x.keySet()) {
            double diff = x.get(k).to(org.bytedeco.pytorch.global.torch.ScalarType.Double)
                    .sub(y.get(k).to(org.bytedeco.pytorch.global.torch.ScalarType.Double)).abs().max().item_double();
            double bound = k.startsWith("carry.") ? 1e-3 * x.get(k).to(org.bytedeco.pytorch.global.torch.ScalarType.Double).abs().max().item_double() : tol;
            assertTrue(diff <= bound, k + " differs by " + diff);
        }
    }
}
