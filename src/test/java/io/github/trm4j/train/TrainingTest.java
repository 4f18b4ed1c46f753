package io.github.trm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.trm4j.InputException;
import io.github.trm4j.cli.Main;
import io.github.trm4j.model.Backend;
import io.github.trm4j.model.Checkpoint;
import io.github.trm4j.model.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trm train} as a whole, on tiny data: resume, failures, refusals, config sources. */
class TrainingTest {
    @BeforeAll
    static void backend() {
        Backend.init();
    }

    static List<JsonNode> lines(Path run, String type) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(run.resolve(MetricsLog.FILE))) {
            JsonNode n = TrainConfig.JSON.readTree(l);
            if (n.path("type").asText().equals(type)) out.add(n);
        }
        return out;
    }

    /** {@code trm train} on a tiny attention model; {@code extra} flags replace the defaults of the same name. */
    static String[] train(Path data, Path out, String... extra) {
        java.util.LinkedHashMap<String, String> flags = new java.util.LinkedHashMap<>();
        String[] defaults = {"--preset", "sudoku-att-tiny", "--data", data.toString(), "--out", out.toString(),
            "--batch-size", "6", "--micro-batch", "3", "--lr", "3e-3", "--warmup-steps", "2", "--halt-exploration-prob", "0.5",
            "--ema-rate", "0.9", "--seed", "5", "--eval-limit", "6", "--dtype", "fp32"};
        for (int i = 0; i < defaults.length; i += 2) flags.put(defaults[i], defaults[i + 1]);
        List<String> switches = new ArrayList<>(List.of("--no-progress"));
        for (int i = 0; i < extra.length; i++) {
            if (extra[i].equals("--force") || extra[i].equals("--dry-run")) switches.add(extra[i]);
            else flags.put(extra[i], extra[++i]);
        }
        List<String> a = new ArrayList<>(List.of("train"));
        flags.forEach((k, v) -> {
            a.add(k);
            a.add(v);
        });
        a.addAll(switches);
        return a.toArray(String[]::new);
    }

    @Test
    void resumedRunContinuesBitForBit(@TempDir Path tmp) throws IOException {
        Path data = RandomData.write(tmp.resolve("data"), 5, 6, 3, 10, 1);
        Path whole = tmp.resolve("whole");
        assertEquals(0, Main.run(train(data, whole, "--max-steps", "7", "--checkpoint-interval", "3")));
        try (io.github.trm4j.model.Checkpoint model = io.github.trm4j.model.Checkpoint.load(whole.resolve(RunState.MODEL))) {
            assertEquals("../data", model.metadata().get("dataset"), "the dataset relative to the run folder");
            assertEquals("trm train, run whole (EMA weights)", model.metadata().get("source"));
        }
        JsonNode run = lines(whole, "run").get(0);
        assertEquals("fp32", run.path("dtype").asText());
        assertEquals("--dtype fp32", run.path("dtype_reason").asText());

        Path part = tmp.resolve("part");
        assertEquals(0, Main.run(train(data, part, "--max-steps", "4")));
        // a crash after step 5 leaves metrics lines past the checkpoint (and a torn last line)
        Files.writeString(part.resolve(MetricsLog.FILE), "{\"type\":\"train\",\"step\":5,\"loss\":1}\n{\"type\":\"tr",
                StandardOpenOption.APPEND);
        assertEquals(0, Main.run("train", "--resume", part.toString(), "--max-steps", "7", "--no-progress", "--eval-limit", "6"));

        List<JsonNode> a = lines(whole, "train");
        List<JsonNode> b = lines(part, "train");
        assertEquals(7, a.size());
        assertEquals(7, b.size());
        for (int i = 0; i < 7; i++) {
            assertEquals(a.get(i).get("step").asLong(), b.get(i).get("step").asLong());
            for (String k : new String[] {"loss", "lm_loss", "q_halt_loss", "lr", "halted"})
                assertEquals(a.get(i).get(k).asDouble(), b.get(i).get(k).asDouble(), 0.0, k + " at step " + (i + 1));
        }
        assertEquals(lines(whole, "eval").get(0).get("accuracy").asDouble(), lines(part, "eval").get(1).get("accuracy").asDouble(), 0.0);
        RunState.Saved s = RunState.read(part);
        assertEquals(7, s.step());
        assertTrue(s.tensors().containsKey("ema.lm_head.weight") && s.tensors().containsKey("optim.lm_head.weight.m")
                && s.tensors().containsKey("carry.y") && s.tensors().containsKey("puzzle_emb.weights"));
        try (Checkpoint model = Checkpoint.load(part.resolve(RunState.MODEL))) {
            assertEquals("7", model.metadata().get(Checkpoint.STEP));
            assertTrue(model.config().isPresent());
            assertTrue(model.tensors().containsKey("puzzle_emb.weights") && !model.tensors().containsKey("ema.lm_head.weight"));
        }
    }

    @Test
    void resumeKeepsTheRunsIntervals(@TempDir Path tmp) throws IOException {
        Path data = RandomData.write(tmp.resolve("data"), 5, 6, 3, 10, 1);
        Path run = tmp.resolve("run");
        assertEquals(0, Main.run(train(data, run, "--max-steps", "2", "--eval-interval", "2", "--checkpoint-interval", "2")));
        assertEquals(new RunState.Intervals(2, 2, 6), RunState.read(run).intervals());
        assertEquals(0, Main.run("train", "--resume", run.toString(), "--max-steps", "6", "--no-progress"));
        List<Long> evalSteps = lines(run, "eval").stream().map(n -> n.get("step").asLong()).toList();
        assertEquals(List.of(2L, 4L, 6L), evalSteps, "evaluations every 2 steps after the resume too");
        assertEquals(new RunState.Intervals(2, 2, 6), RunState.read(run).intervals());

        // config.json: one entry per invocation, with the command line and the resolved configuration
        JsonNode config = TrainConfig.JSON.readTree(run.resolve(RunState.CONFIG_JSON).toFile());
        assertEquals(2, config.size());
        assertTrue(config.get(0).get("command").asText().startsWith("./trm train --preset sudoku-att-tiny"), config.toString());
        assertEquals(0, config.get(0).get("start_step").asLong());
        assertEquals(2, config.get(1).get("start_step").asLong());
        assertEquals(6, config.get(1).get("total_steps").asLong());
        assertEquals(6, config.get(1).get("train").get("globalBatchSize").asInt(), config.toString());
        // best.safetensors: the weights of the best evaluation so far, by exact accuracy
        double bestExact = lines(run, "eval").stream().mapToDouble(n -> n.get("exact_accuracy").asDouble()).max().orElseThrow();
        assertEquals(bestExact, Double.parseDouble(Safetensors.readHeader(run.resolve(RunState.BEST)).metadata().get(RunState.BEST_EXACT)));
    }

    @Test
    void dryRunWritesNothingAndEnumsAreCaseInsensitive(@TempDir Path tmp) throws IOException {
        Path data = RandomData.write(tmp.resolve("data"), 5, 6, 3, 10, 1);
        Path run = tmp.resolve("run");
        assertEquals(0, Main.run(train(data, run, "--max-steps", "2", "--loss", "stablemax", "--dry-run")));
        assertFalse(Files.exists(run), "--dry-run creates no run folder");
        assertEquals(0, Main.run(train(data, run, "--max-steps", "1", "--loss", "SoftMax")));
    }

    @Test
    void aNonFiniteLossStopsTheRunAndKeepsTheLastCheckpoint(@TempDir Path tmp) throws IOException {
        Path data = RandomData.write(tmp.resolve("data"), 5, 6, 3, 10, 1);
        Path run = tmp.resolve("run");
        int code = Main.run(train(data, run, "--max-steps", "20", "--checkpoint-interval", "1", "--lr", "1e30", "--warmup-steps", "0"));
        assertEquals(3, code);
        List<JsonNode> steps = lines(run, "train");
        assertTrue(steps.size() < 20, "stopped early");
        RunState.Saved s = RunState.read(run);
        assertEquals(steps.size(), s.step(), "the checkpoint is that of the last finite step");
        assertThrows(NonFiniteLossException.class, () -> Training.run(TrainRequest.of("sudoku-att-tiny", data, 20, tmp.resolve("again"))
                .withOverrides(6, 1e30, 0L)));
    }

    @Test
    void dataThatDoesNotFitTheModelIsRefusedBeforeAnyWork(@TempDir Path tmp) throws IOException {
        Path data = RandomData.write(tmp.resolve("data"), 5, 6, 3, 10, 1);
        Path run = tmp.resolve("run");
        assertEquals(0, Main.run(train(data, run, "--max-steps", "1")));
        Path weights = run.resolve(RunState.MODEL);

        Path longer = RandomData.write(tmp.resolve("longer"), 5, 7, 3, 10, 1);
        InputException e = assertThrows(InputException.class, () -> Training.run(initFrom(weights, longer, tmp.resolve("a"))));
        assertTrue(e.getMessage().contains("seq_len 7") && e.getMessage().contains("sequence length 6"), e.getMessage());

        Path wider = RandomData.write(tmp.resolve("wider"), 9, 6, 3, 10, 1);
        e = assertThrows(InputException.class, () -> Training.run(initFrom(weights, wider, tmp.resolve("b"))));
        assertTrue(e.getMessage().contains("vocab_size 9") && e.getMessage().contains("vocabulary 5"), e.getMessage());

        Path moreIds = RandomData.write(tmp.resolve("ids"), 5, 6, 8, 10, 1);
        e = assertThrows(InputException.class, () -> Training.run(initFrom(weights, moreIds, tmp.resolve("c"))));
        assertTrue(e.getMessage().contains("puzzle identifier 7") && e.getMessage().contains("table of 3 rows"), e.getMessage());
        assertTrue(!Files.exists(tmp.resolve("a")) && !Files.exists(tmp.resolve("b")) && !Files.exists(tmp.resolve("c")));

        assertEquals(2, Main.run(train(data, run, "--max-steps", "1")), "a non-empty run folder is refused");
        assertEquals(0, Main.run(train(data, run, "--max-steps", "1", "--force")));
    }

    private static TrainRequest initFrom(Path weights, Path data, Path out) {
        return new TrainRequest(null, null, data, weights, null, 1L, null, 0L, 0L, null, null, null, null, null, null, null,
                null, null, null, false, null, null, null, null, null, out, false, false, null, null);
    }

    @Test
    void anOfficialCheckpointBringsItsArchitectureAndRecipe(@TempDir Path tmp) throws IOException {
        Path ckpt = tmp.resolve("ckpt");
        Files.createDirectories(ckpt);
        for (String f : new String[] {"step_42", "all_config.yaml"}) {
            Files.copy(Path.of("src/test/resources/fixtures/checkpoint/official").resolve(f), ckpt.resolve(f),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        Path data = RandomData.write(tmp.resolve("data"), 5, 6, 3, 8, 2);
        Path run = tmp.resolve("run");
        assertEquals(0, Main.run("train", "--init-from", ckpt.resolve("step_42").toString(), "--data", data.toString(),
                "--out", run.toString(), "--max-steps", "3", "--no-progress"));
        List<JsonNode> steps = lines(run, "train");
        // all_config.yaml: lr 1e-4 with 2 warm-up steps, global batch 4, EMA on
        assertEquals(5e-5, steps.get(0).get("lr").asDouble(), 1e-18);
        assertEquals(1e-4, steps.get(2).get("lr").asDouble(), 1e-18);
        RunState.Saved s = RunState.read(run);
        assertEquals(4, s.train().globalBatchSize());
        assertTrue(s.train().ema());
        assertEquals(8, s.model().hiddenSize());
        assertEquals(4, s.tensors().get("carry.y").size(0));
    }

    @Test
    void anOfficialConfigFileGivesArchitectureAndRecipe(@TempDir Path tmp) throws IOException {
        Path fixture = Path.of("src/test/resources/fixtures/train/att");
        Path run = tmp.resolve("run");
        assertEquals(0, Main.run("train", "--config", fixture.resolve("all_config.yaml").toString(), "--data",
                fixture.resolve("data").toString(), "--out", run.toString(), "--max-steps", "2", "--no-progress"));
        RunState.Saved s = RunState.read(run);
        assertEquals(4, s.train().globalBatchSize());
        assertEquals(0.1, s.train().lrMinRatio(), 0);
        assertEquals(12, s.model().vocabSize(), "sizes from the dataset");
        assertEquals(5, s.model().numPuzzleIdentifiers());
        assertEquals(5e-4, lines(run, "train").get(0).get("lr").asDouble(), 1e-15);

        // a trm4j training state works as --init-from too: its raw weights and its configs
        Path again = tmp.resolve("again");
        assertEquals(0, Main.run("train", "--init-from", run.resolve(RunState.LAST).toString(), "--data",
                fixture.resolve("data").toString(), "--out", again.toString(), "--max-steps", "1", "--no-progress"));
        assertEquals(4, RunState.read(again).train().globalBatchSize());

        Path broken = tmp.resolve("broken.yaml");
        Files.writeString(broken, Files.readString(fixture.resolve("all_config.yaml")).replace("lr: 0.001", "lr: fast"));
        InputException e = assertThrows(InputException.class, () -> Training.run(new TrainRequest(null, broken,
                fixture.resolve("data"), null, null, 1L, null, 0L, 0L, null, null, null, null, null, null, null, null, null, null,
                false, null, null, null, null, null, tmp.resolve("c"), false, false, null, null)));
        assertTrue(e.getMessage().contains("broken.yaml") && e.getMessage().contains("'lr'"), e.getMessage());
    }
}
