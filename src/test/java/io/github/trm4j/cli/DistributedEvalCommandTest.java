package io.github.trm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trm4j.eval.EvalFixtures;
import io.github.trm4j.model.Backend;
import io.github.trm4j.model.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trm eval --nproc-per-node 2}: two worker JVMs over Gloo on 127.0.0.1 share the split; rank 0
 * alone reports and writes, and its files are those of {@code trm eval} in one process.
 */
class DistributedEvalCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void twoWorkersWriteWhatOneProcessWrites(@TempDir Path tmp) throws Exception {
        Backend.load();
        Path model = EvalFixtures.checkpoint(tmp.resolve("model.safetensors"), ModelConfig.preset("sudoku-mlp-tiny"), null);
        SplittableRandom rng = new SplittableRandom(3);
        int[] inputs = new int[7 * 81];
        int[] labels = new int[7 * 81];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = 1 + rng.nextInt(10);
            labels[i] = 2 + rng.nextInt(9);
        }
        Path data = EvalFixtures.sudokuDataset(tmp.resolve("data"), inputs, labels, 11, 81);
        List<String> common = List.of("eval", "--checkpoint", model.toString(), "--data", data.toString(), "--batch-size", "2",
                "--dtype", "fp32", "--no-progress", "--out");
        // one intra-op thread, as each of the two workers gets on this 2-core machine
        System.setProperty("trm.threads", "1");
        CliRun alone;
        try {
            alone = CliRun.of(args(common, tmp.resolve("alone").toString()));
        } finally {
            System.clearProperty("trm.threads");
        }
        assertEquals(0, alone.exitCode(), alone.err());
        CliRun pair = CliRun.of(args(common, tmp.resolve("pair").toString(), "--nproc-per-node", "2", "--dist-timeout", "60"));
        assertEquals(0, pair.exitCode(), pair.err());

        assertTrue(pair.err().contains("[rank 0] sudoku test: 7 puzzles, fixed 4 steps"), pair.err());
        assertTrue(pair.err().contains("[rank 0] wrote " + tmp.resolve("pair")), pair.err());
        assertFalse(pair.err().contains("[rank 1] sudoku test"), "rank 1 reports nothing: " + pair.err());
        assertEquals(withoutTimings(tmp.resolve("alone")), withoutTimings(tmp.resolve("pair")));
        assertEquals(-1L, Files.mismatch(tmp.resolve("alone/predictions.npy"), tmp.resolve("pair/predictions.npy")));
    }

    private static String[] args(List<String> common, String... more) {
        return java.util.stream.Stream.concat(common.stream(), java.util.Arrays.stream(more)).toArray(String[]::new);
    }

    private static ObjectNode withoutTimings(Path out) throws Exception {
        ObjectNode o = (ObjectNode) JSON.readTree(out.resolve("metrics.json").toFile());
        o.remove(List.of("seconds", "puzzles_per_second", "checkpoint", "data"));
        return o;
    }
}
