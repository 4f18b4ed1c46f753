package io.github.trm4j.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trm4j.data.ArcBuild;
import io.github.trm4j.dist.Ranks;
import io.github.trm4j.model.Backend;
import io.github.trm4j.model.ComputeDevice;
import io.github.trm4j.model.DtypeChoice;
import io.github.trm4j.model.ModelConfig;
import io.github.trm4j.solve.Thinking;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evaluation shared by two Gloo ranks on 127.0.0.1 (threads of this JVM) against one process: the
 * same metrics.json (all but the timings), predictions.npy, and for ARC the same votes, pass@k and
 * submission.json. Batches of 2 over 9 Sudoku rows make 5 batches: rank 0 runs 3, rank 1 runs 2.
 */
class DistributedEvalTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS = 9;

    @TempDir
    static Path dir;
    static Path model;
    static Path sudoku;

    @BeforeAll
    static void setUp() {
        Backend.init(1);
        model = EvalFixtures.checkpoint(dir.resolve("model.safetensors"), ModelConfig.preset("sudoku-mlp-tiny"), null);
        SplittableRandom rng = new SplittableRandom(11);
        int[] inputs = new int[ROWS * 81];
        int[] labels = new int[ROWS * 81];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = 1 + rng.nextInt(10);
            labels[i] = rng.nextInt(5) == 0 ? 0 : 2 + rng.nextInt(9); // PAD cells: rows differ in supervised cells
        }
        sudoku = EvalFixtures.sudokuDataset(dir.resolve("sudoku"), inputs, labels, 11, 81);
    }

    @Test
    void batchesGoRoundRobinAndRankZeroReceivesThemInFileOrder() {
        List<List<List<Long>>> seen = Ranks.results(Ranks.run(2, (rank, g) -> {
            EvalShard shard = EvalShard.of(g);
            List<Long> ran = new ArrayList<>();
            List<Long> received = new ArrayList<>();
            shard.forEachBatch(ROWS, 2, 3, (first, rows, part) -> {
                ran.add(first);
                return fake(first, rows);
            }, a -> {
                assertEquals(a.first() == 8 ? 1 : 2, a.rows());
                assertArrayEquals(fake(a.first(), a.rows()).predictions(), a.predictions());
                assertArrayEquals(fake(a.first(), a.rows()).qHalt(), a.qHalt());
                assertArrayEquals(fake(a.first(), a.rows()).inputs(), a.inputs());
                assertArrayEquals(fake(a.first(), a.rows()).puzzleIds(), a.puzzleIds());
                assertArrayEquals(fake(a.first(), a.rows()).steps(), a.steps());
                received.add(a.first());
            }, null);
            assertArrayEquals(new long[] {3, 21}, shard.sum(new long[] {rank + 1, 10 + rank}, "a test sum"));
            return List.of(ran, received);
        }));
        assertEquals(List.of(0L, 4L, 8L), seen.get(0).get(0), "rank 0 runs batches 0, 2, 4");
        assertEquals(List.of(2L, 6L), seen.get(1).get(0), "rank 1 runs batches 1, 3");
        assertEquals(List.of(0L, 2L, 4L, 6L, 8L), seen.get(0).get(1), "rank 0 receives every batch in file order");
        assertEquals(List.of(), seen.get(1).get(1));
    }

    /** Answers that tell their rows apart (sequence length 3). */
    private static Scoring.BatchAnswers fake(long first, int rows) {
        int[] inputs = new int[rows * 3], predictions = new int[rows * 3], ids = new int[rows], steps = new int[rows];
        float[] q = new float[rows];
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < 3; t++) {
                inputs[r * 3 + t] = (int) first * 10 + r * 3 + t;
                predictions[r * 3 + t] = -inputs[r * 3 + t];
            }
            ids[r] = (int) first + r;
            steps[r] = r + 1;
            q[r] = first - 0.25f * r;
        }
        return new Scoring.BatchAnswers(first, rows, inputs, ids, predictions, q, steps);
    }

    @Test
    void sudokuScoresAsOneProcess() throws IOException {
        Path alone = dir.resolve("sudoku-alone");
        Path pair = dir.resolve("sudoku-pair");
        List<Evaluate.Result> ranks = compare(request(List.of(model), sudoku, null, false, Thinking.none(), alone),
                request(List.of(model), sudoku, null, false, Thinking.none(), pair));
        assertEquals(Files.mismatch(alone.resolve("predictions.npy"), pair.resolve("predictions.npy")), -1L, "the same predictions.npy");
        assertEquals(ROWS, ranks.get(0).scores().examples());
    }

    @Test
    void sudokuWithTrajectoriesAndCopiesScoresAsOneProcess() throws IOException {
        Thinking thinking = new Thinking(2, 0.5, null, 1, 0, 2, Thinking.Select.VOTE, 3);
        Path alone = dir.resolve("think-alone");
        Path pair = dir.resolve("think-pair");
        compare(request(List.of(model), sudoku, 3, true, thinking, alone), request(List.of(model), sudoku, 3, true, thinking, pair));
        assertEquals(Files.mismatch(alone.resolve("predictions.npy"), pair.resolve("predictions.npy")), -1L, "the same predictions.npy");
        assertTrue(metrics(pair).has("thinking"));
    }

    @Test
    void arcVotesAsOneProcess() throws IOException {
        Path arc = dir.resolve("arc");
        ArcBuild.Result built = EvalFixtures.arcDataset(arc, 3);
        Path ck = EvalFixtures.checkpoint(dir.resolve("arc.safetensors"), EvalFixtures.arcModel(built.identifiers()), null);
        Path alone = dir.resolve("arc-alone");
        Path pair = dir.resolve("arc-pair");
        // --pool-votes over the checkpoint twice: the second evaluation adds to the first one's votes
        List<Evaluate.Result> ranks = compare(request(List.of(ck, ck), arc, null, false, Thinking.none(), alone),
                request(List.of(ck, ck), arc, null, false, Thinking.none(), pair));
        assertEquals(Files.readString(alone.resolve("submission.json")), Files.readString(pair.resolve("submission.json")));
        JsonNode votes = metrics(pair).get("arc");
        assertEquals(2 * built.test().examples(), votes.get("votes").asLong());
        assertEquals(2, votes.get("pooled_history").size());
        assertTrue(built.test().examples() > 4, "more rows than one round of two batches of 2");
        assertEquals(2, ranks.get(0).arcHistory().size());
    }

    private static Evaluate.Request request(List<Path> checkpoints, Path data, Integer steps, boolean adaptive, Thinking thinking, Path out) {
        return new Evaluate.Request(checkpoints, null, data, "test", steps, adaptive, 2, null, DtypeChoice.resolve("fp32", ComputeDevice.CPU),
                checkpoints.size() > 1, false, out, false, thinking);
    }

    /**
     * Runs {@code alone} in this thread and {@code pair} on two ranks; asserts the same metrics.json
     * but for the timings, every rank's scores the same, and files from rank 0 only. Returns the ranks' results.
     */
    private static List<Evaluate.Result> compare(Evaluate.Request alone, Evaluate.Request pair) throws IOException {
        Evaluate.Result one = Evaluate.run(alone);
        List<Evaluate.Result> two = Ranks.results(Ranks.run(2, (rank, g) -> Evaluate.run(pair, g)));
        assertEquals(withoutTimings(metrics(alone.out())), withoutTimings(metrics(pair.out())));
        for (Evaluate.Result r : two) {
            assertEquals(one.scores().perStep(), r.scores().perStep());
            assertEquals(one.scores().exactAccuracy(), r.scores().exactAccuracy());
            assertEquals(one.scores().tokenAccuracy(), r.scores().tokenAccuracy());
            assertArrayEquals(one.scores().stepsHistogram(), r.scores().stepsHistogram());
        }
        assertEquals(one.files(), two.get(0).files());
        assertEquals(one.arc(), two.get(0).arc());
        assertEquals(List.of(), two.get(1).files(), "rank 1 writes nothing");
        assertNull(two.get(1).arc());
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary folders left");
        }
        return two;
    }

    private static JsonNode metrics(Path out) throws IOException {
        return JSON.readTree(out.resolve("metrics.json").toFile());
    }

    private static JsonNode withoutTimings(JsonNode m) {
        ObjectNode o = ((ObjectNode) m).deepCopy();
        o.remove(List.of("seconds", "puzzles_per_second"));
        return o;
    }
}
