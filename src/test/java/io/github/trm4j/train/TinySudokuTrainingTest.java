package io.github.trm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.trm4j.cli.Main;
import io.github.trm4j.model.Backend;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end test: {@code trm train} must learn 4×4 Sudoku (8 of 16 cells blank, unique
 * solutions) from scratch to high exact accuracy on held-out puzzles, with the paper's recipe
 * (deep supervision over the ACT carry, stablemax, AdamATan2, sign-SGD, EMA) on the
 * {@code sudoku-mlp-tiny} preset. Seeded; 120 steps at batch 32 (held-out exact accuracy about 0.96; 0.9 is required).
 */
class TinySudokuTrainingTest {
    @BeforeAll
    static void backend() {
        Backend.init();
    }

    @Test
    void learnsFourByFourSudoku(@TempDir Path tmp) throws Exception {
        Path data = TinySudoku.write(tmp.resolve("sudoku4"), 1000, 200, 8, 1);
        Path run = tmp.resolve("run");
        assertEquals(0, Main.run("train", "--preset", "sudoku-mlp-tiny", "--data", data.toString(), "--out", run.toString(),
                "--max-steps", "120", "--batch-size", "32", "--lr", "3e-3", "--warmup-steps", "20", "--weight-decay", "0.1",
                "--ema-rate", "0.95", "--seed", "1", "--eval-limit", "200", "--no-progress", "--dtype", "fp32"));
        List<JsonNode> evals = TrainingTest.lines(run, "eval");
        JsonNode last = evals.get(evals.size() - 1);
        assertEquals(120, last.get("step").asLong());
        assertEquals(200, last.get("examples").asLong());
        assertTrue(last.get("exact_accuracy").asDouble() >= 0.9, "held-out exact accuracy with EMA weights: " + last);

        List<JsonNode> steps = TrainingTest.lines(run, "train");
        JsonNode first = steps.get(3); // every slot halts at N_sup = 4 in the first steps
        JsonNode end = steps.get(steps.size() - 1);
        assertEquals(4.0, first.get("mean_steps").asDouble(), 0.0);
        assertTrue(end.get("loss").asDouble() < first.get("loss").asDouble() / 4, "loss fell: " + first + " -> " + end);
        assertTrue(end.get("mean_steps").asDouble() < 2.5, "the Q head learned to halt early: " + end);
    }
}
