package io.github.trm4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.trm4j.data.ArcBuild;
import io.github.trm4j.data.Npy;
import io.github.trm4j.data.NpyType;
import io.github.trm4j.eval.EvalFixtures;
import io.github.trm4j.model.Backend;
import io.github.trm4j.model.ModelConfig;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trm eval} end to end on tiny models and tiny datasets built in a temporary folder. */
class EvalCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int N = 10;

    @TempDir
    static Path dir;
    static Path model;
    static Path haltAtOnce;
    static Path data;
    static int[] labels;

    @BeforeAll
    static void setUp() {
        Backend.init();
        model = checkpoint("model.safetensors", ModelConfig.preset("sudoku-mlp-tiny"), null);
        haltAtOnce = checkpoint("halt.safetensors", ModelConfig.preset("sudoku-mlp-tiny"), 20.0);
        SplittableRandom rng = new SplittableRandom(5);
        int[] inputs = new int[N * 81];
        labels = new int[N * 81];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = 1 + rng.nextInt(10);
            labels[i] = 2 + rng.nextInt(9);
        }
        data = sudokuDataset("sudoku", inputs, labels, 11, 81);
    }

    @Test
    void scoresSudokuAndWritesEveryFile() throws Exception {
        Path out = dir.resolve("e1");
        System.setProperty("trm.progress.seconds", "0");
        CliRun r;
        try {
            r = eval("--checkpoint", model, "--data", data, "--batch-size", "4", "--out", out);
        } finally {
            System.clearProperty("trm.progress.seconds");
        }
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("sudoku test: 10 puzzles, fixed 4 steps"), r.err());
        // not a terminal: plain progress lines, puzzle by puzzle (a batch of 4 advances by 1 per supervision step)
        assertTrue(r.err().contains("eval: 1/10 puzzles (10%), ") && r.err().contains("eval: 10/10 puzzles (100%), "), r.err());
        assertEquals(List.of(".trm4j-output", "accuracy.png", "metrics.json", "predictions.npy"), list(out));

        Npy.Header h = Npy.header(out.resolve("predictions.npy"));
        assertEquals(NpyType.INT32, h.type());
        assertArrayEquals(new long[] {N, 81}, h.shape());
        int[] pred = Npy.readInts(out.resolve("predictions.npy"));
        JsonNode m = JSON.readTree(out.resolve("metrics.json").toFile());
        double[] expected = score(pred, labels);
        assertEquals(expected[0], m.get("exact_accuracy").asDouble(), 1e-12);
        assertEquals(expected[1], m.get("token_accuracy").asDouble(), 1e-12);
        assertEquals("sudoku", m.get("kind").asText());
        assertEquals("fixed", m.get("mode").asText());
        assertEquals(N, m.get("examples").asLong());
        assertEquals(4, m.get("steps").asInt());
        assertEquals(4, m.get("per_step").size());
        assertEquals(expected[1], m.get("per_step").get(3).get("token_accuracy").asDouble(), 1e-12, "the last step is the final answer");
        assertEquals(4.0, m.get("mean_steps").asDouble());
        assertEquals(N, m.get("steps_histogram").get("4").asLong());
        assertEquals(0, m.get("steps_histogram").get("1").asLong());
        assertTrue(m.get("puzzles_per_second").asDouble() > 0);
        assertEquals("fp32", m.get("dtype").asText());
        assertEquals(64, m.get("model").get("hiddenSize").asInt());

        // labels made from the model's own answers: rows 0-4 right, rows 5-9 with cell 0 wrong (an untrained
        // model may predict PAD, and PAD labels are not scored, hence the recomputed token accuracy)
        int[] known = pred.clone();
        for (int row = 5; row < N; row++) known[row * 81] = known[row * 81] >= 10 ? 2 : known[row * 81] + 1;
        Path mine = sudokuDataset("known", Npy.readInts(data.resolve("test/all__inputs.npy")), known, 11, 81);
        Path out2 = dir.resolve("e2");
        r = eval("--checkpoint", model, "--data", mine, "--batch-size", "4", "--no-progress", "--out", out2);
        assertEquals(0, r.exitCode(), r.err());
        assertFalse(r.err().contains("eval: "), "--no-progress hides the progress: " + r.err());
        m = JSON.readTree(out2.resolve("metrics.json").toFile());
        assertEquals(0.5, m.get("exact_accuracy").asDouble(), 1e-12);
        assertEquals(score(pred, known)[1], m.get("token_accuracy").asDouble(), 1e-12);
        assertTrue(m.get("token_accuracy").asDouble() < 1);
        assertArrayEquals(pred, Npy.readInts(out2.resolve("predictions.npy")));

        BufferedImage png = ImageIO.read(out.resolve("accuracy.png").toFile());
        assertEquals(900, png.getWidth());
        assertEquals(560, png.getHeight());
        assertTrue(colours(png) > 20, "a drawn plot, not a blank image");
    }

    @Test
    void stepsPastNsupAndAdaptiveHalting() throws Exception {
        Path out = dir.resolve("steps");
        CliRun r = eval("--checkpoint", model, "--data", data, "--steps", "6", "--no-progress", "--out", out);
        assertEquals(0, r.exitCode(), r.err());
        JsonNode m = JSON.readTree(out.resolve("metrics.json").toFile());
        assertEquals(6, m.get("per_step").size());
        assertEquals(4, m.get("supervision_steps").asInt());
        assertEquals(N, m.get("steps_histogram").get("6").asLong());

        // q_halt bias +20: every puzzle halts after its first step, and keeps that answer
        out = dir.resolve("adaptive");
        r = eval("--checkpoint", haltAtOnce, "--data", data, "--adaptive", "--limit", "3", "--no-progress", "--out", out);
        assertEquals(0, r.exitCode(), r.err());
        m = JSON.readTree(out.resolve("metrics.json").toFile());
        assertEquals("adaptive", m.get("mode").asText());
        assertEquals(3, m.get("examples").asLong());
        assertEquals(1.0, m.get("mean_steps").asDouble());
        assertEquals(3, m.get("steps_histogram").get("1").asLong());
        assertEquals(0, m.get("steps_histogram").get("4").asLong());
        for (JsonNode s : m.get("per_step")) assertEquals(m.get("token_accuracy").asDouble(), s.get("token_accuracy").asDouble(), 1e-12);
        assertArrayEquals(new long[] {3, 81}, Npy.header(out.resolve("predictions.npy")).shape());

        // the same model without --adaptive runs every step: its step-1 answers are the adaptive ones
        Path fixed = dir.resolve("fixed");
        assertEquals(0, eval("--checkpoint", haltAtOnce, "--data", data, "--limit", "3", "--no-progress", "--out", fixed).exitCode());
        JsonNode f = JSON.readTree(fixed.resolve("metrics.json").toFile());
        assertEquals(m.get("token_accuracy").asDouble(), f.get("per_step").get(0).get("token_accuracy").asDouble(), 1e-12);
        assertEquals(3, f.get("steps_histogram").get("4").asLong());
    }

    @Test
    void arcVotesAndWritesASubmission() throws Exception {
        Path arc = dir.resolve("arc");
        ArcBuild.Result built = EvalFixtures.arcDataset(arc, 3);
        ModelConfig c = EvalFixtures.arcModel(built.identifiers());
        Path ck = checkpoint("arc.safetensors", c, null);
        long rows = built.test().examples();

        Path out = dir.resolve("arc-eval");
        CliRun r = eval("--checkpoint", ck, "--data", arc, "--no-progress", "--out", out);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("ARC (2 of 2 tasks): pass@1 "), r.err());
        assertEquals(List.of(".trm4j-output", "accuracy.png", "metrics.json", "submission.json"), list(out));
        JsonNode m = JSON.readTree(out.resolve("metrics.json").toFile());
        assertEquals("arc", m.get("kind").asText());
        JsonNode arcScores = m.get("arc");
        assertEquals("per-evaluation", arcScores.get("voting").asText());
        assertEquals(rows, arcScores.get("votes").asLong());
        assertEquals(3, arcScores.get("test_inputs").asInt());
        for (String k : new String[] {"pass@1", "pass@2", "pass@5", "pass@10", "pass@100", "pass@1000"}) {
            double v = arcScores.get(k).asDouble();
            assertTrue(v >= 0 && v <= 1, k + " = " + v);
        }
        JsonNode sub = JSON.readTree(out.resolve("submission.json").toFile());
        assertEquals(List.of("aaa", "bbb"), fieldNames(sub));
        assertEquals(1, sub.get("aaa").size());
        assertEquals(2, sub.get("bbb").size());
        for (JsonNode task : sub) {
            for (JsonNode attempt : task) {
                assertEquals(List.of("attempt_1", "attempt_2"), fieldNames(attempt));
                for (JsonNode grid : attempt) {
                    assertTrue(grid.isArray() && grid.size() >= 1 && grid.get(0).isArray() && grid.get(0).size() >= 1, grid.toString());
                }
            }
        }

        // --pool-votes over the same checkpoint twice: one store, twice the votes, the same ranking
        Path pooled = dir.resolve("arc-pooled");
        r = eval("--checkpoint", ck, "--checkpoint", ck, "--pool-votes", "--data", arc, "--no-progress", "--out", pooled);
        assertEquals(0, r.exitCode(), r.err());
        JsonNode p = JSON.readTree(pooled.resolve("metrics.json").toFile()).get("arc");
        assertEquals("pooled", p.get("voting").asText());
        assertEquals(2 * rows, p.get("votes").asLong());
        assertEquals(2, p.get("pooled_history").size());
        assertEquals(rows, p.get("pooled_history").get(0).get("votes").asLong());
        assertEquals(arcScores.get("pass@2").asDouble(), p.get("pass@2").asDouble(), 1e-12);
        assertEquals(JSON.readTree(out.resolve("submission.json").toFile()), JSON.readTree(pooled.resolve("submission.json").toFile()));
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws Exception {
        Path out = dir.resolve("bad");
        assertBad(out, "no 'valid' split folder", "--checkpoint", model, "--data", data, "--split", "valid", "--out", out);
        assertBad(out, dir.resolve("nodata") + ": no such dataset folder", "--checkpoint", model, "--data", dir.resolve("nodata"), "--out", out);
        Path wideVocab = sudokuDataset("v12", new int[81], new int[81], 12, 81);
        assertBad(out, "dataset.json: vocab_size 12 does not match the model's 11", "--checkpoint", model, "--data", wideVocab, "--out", out);
        Path shortSeq = sudokuDataset("s16", new int[16], new int[16], 11, 16);
        assertBad(out, "the model's seq_len is 81 but the data given (--data or --inputs) has 16", "--checkpoint", model, "--data", shortSeq, "--out", out);
        assertBad(out, "--steps: must be between 1 and 1024", "--checkpoint", model, "--data", data, "--steps", "0", "--out", out);
        assertBad(out, "--batch-size: must be at least 1", "--checkpoint", model, "--data", data, "--batch-size", "0", "--out", out);
        assertBad(out, "--limit: must be at least 1", "--checkpoint", model, "--data", data, "--limit", "0", "--out", out);
        assertBad(out, "--dtype: expected auto, fp32 or bf16", "--checkpoint", model, "--data", data, "--dtype", "fp8", "--out", out);
        assertBad(out, "--pool-votes: only for the test split of an ARC dataset", "--checkpoint", model, "--pool-votes", "--data", data, "--out", out);
        assertBad(out, "--checkpoint: given 2 times", "--checkpoint", model, "--checkpoint", model, "--data", data, "--out", out);
        assertBad(out, "missing.safetensors", "--checkpoint", dir.resolve("missing.safetensors"), "--data", data, "--out", out);

        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "mine");
        assertBad(out, "output folder is not empty (pass --force", "--checkpoint", model, "--data", data, "--out", out);
        assertEquals("mine", Files.readString(out.resolve("keep.txt")));
        assertBad(out, "has no .trm4j-output marker", "--checkpoint", model, "--data", data, "--force", "--out", out);
        assertEquals("mine", Files.readString(out.resolve("keep.txt")), "--force never deletes the user's files");
        Files.delete(out.resolve("keep.txt"));
        assertEquals(0, eval("--checkpoint", model, "--data", data, "--no-progress", "--out", out).exitCode());
        assertEquals(0, eval("--checkpoint", model, "--data", data, "--no-progress", "--force", "--out", out).exitCode());
    }

    private static void assertBad(Path out, String message, Object... args) {
        boolean existed = Files.exists(out);
        CliRun r = eval(args);
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().startsWith("trm: ") && r.err().contains(message), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertEquals(existed, Files.exists(out), "no output on failure");
    }

    private static CliRun eval(Object... args) {
        String[] s = new String[args.length + 1];
        s[0] = "eval";
        for (int i = 0; i < args.length; i++) s[i + 1] = args[i].toString();
        return CliRun.of(s);
    }

    private static Path checkpoint(String name, ModelConfig config, Double haltBias) {
        return EvalFixtures.checkpoint(dir.resolve(name), config, haltBias);
    }

    private static Path sudokuDataset(String name, int[] inputs, int[] labels, int vocab, int seqLen) {
        return EvalFixtures.sudokuDataset(dir.resolve(name), inputs, labels, vocab, seqLen);
    }

    /** {exact, token} accuracy recomputed from the files, label 0 (PAD) ignored as the dataset says. */
    private static double[] score(int[] pred, int[] labels) {
        double exact = 0, token = 0;
        int rows = labels.length / 81;
        for (int r = 0; r < rows; r++) {
            int right = 0, supervised = 0;
            for (int t = r * 81; t < (r + 1) * 81; t++) {
                if (labels[t] == 0) continue;
                supervised++;
                if (pred[t] == labels[t]) right++;
            }
            token += (double) right / supervised;
            if (right == supervised) exact++;
        }
        return new double[] {exact / rows, token / rows};
    }

    private static int colours(BufferedImage img) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) for (int x = 0; x < img.getWidth(); x += 3) seen.add(img.getRGB(x, y));
        return seen.size();
    }

    private static List<String> list(Path out) throws Exception {
        try (var s = Files.list(out)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
