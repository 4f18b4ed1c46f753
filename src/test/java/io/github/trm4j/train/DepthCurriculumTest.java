package io.github.trm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.trm4j.InputException;
import io.github.trm4j.cli.Main;
import io.github.trm4j.model.Backend;
import io.github.trm4j.model.Depth;
import io.github.trm4j.model.ModelConfig;
import io.github.trm4j.train.TrainRequest.Extras;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The depth curriculum and the supervision decay: parsing, the stage of a step, the weights, and a run that uses both. */
class DepthCurriculumTest {
    @BeforeAll
    static void backend() {
        Backend.init();
    }

    private static ModelConfig model(int t, int n) {
        ModelConfig c = ModelConfig.preset("sudoku-mlp-tiny");
        return new io.github.trm4j.train.ArchOverride(null, null, null, null, n, t, null).applyTo(c);
    }

    @Test
    void theDefaultIsCgarsStagesThenTheModelsDepth() {
        List<DepthCurriculum.Stage> s = DepthCurriculum.parse("default");
        assertEquals(List.of(new DepthCurriculum.Stage(0.3, 1, 2), new DepthCurriculum.Stage(0.6, 2, 4)), s);
        ModelConfig m = model(3, 6);
        // 10 steps: progress (step-1)/10 = 0.0 .. 0.9
        assertEquals(new Depth(1, 2), DepthCurriculum.at(s, 1, 10, m));
        assertEquals(new Depth(1, 2), DepthCurriculum.at(s, 3, 10, m));
        assertEquals(new Depth(2, 4), DepthCurriculum.at(s, 4, 10, m));
        assertEquals(new Depth(2, 4), DepthCurriculum.at(s, 6, 10, m));
        assertEquals(new Depth(3, 6), DepthCurriculum.at(s, 7, 10, m));
        assertEquals(new Depth(3, 6), DepthCurriculum.at(s, 10, 10, m));
        assertEquals(new Depth(3, 6), DepthCurriculum.at(null, 1, 10, m), "no curriculum: the model's depth");
        assertEquals("T1n2@0.3,T2n4@0.6 then the model's T=3, n=6", DepthCurriculum.describe(s, m));
    }

    @Test
    void badStagesAreRefusedWithTheStageNamed() {
        for (String bad : new String[] {"T1n2", "T1n2@1.5", "T0n2@0.3", "T2n4@0.6,T1n2@0.3", "T1n2@0.3,,", "x"}) {
            InputException e = assertThrows(InputException.class, () -> DepthCurriculum.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("--depth-curriculum: "), e.getMessage());
        }
        TrainConfig paper = TrainConfig.paper("sudoku-mlp");
        InputException deep = assertThrows(InputException.class, () -> TrainPlan.curriculum(paper,
                new TrainRequest.Extras("T1n2@0.3,T2n4@0.6", null, null), model(1, 1)));
        assertTrue(deep.getMessage().contains("T1n2@0.3 is deeper than the model's T=1, n=1"), deep.getMessage());
    }

    @Test
    void theDefaultIsCappedAtAShallowerModelsDepth() {
        TrainConfig paper = TrainConfig.paper("sudoku-mlp");
        Extras def = new TrainRequest.Extras("default", null, null);
        assertEquals(List.of(new DepthCurriculum.Stage(0.3, 1, 2), new DepthCurriculum.Stage(0.6, 2, 4)),
                TrainPlan.curriculum(paper, def, model(3, 6)).depthCurriculum());
        assertEquals(List.of(new DepthCurriculum.Stage(0.3, 1, 2)), TrainPlan.curriculum(paper, def, model(2, 2)).depthCurriculum(),
                "T2n4 capped at T=2, n=2 is the model's own depth");
        assertNull(TrainPlan.curriculum(paper, def, model(1, 1)).depthCurriculum(), "nothing shallower than T=1, n=1");
    }

    @Test
    void supervisionWeightsDecayGeometricallyAndAverageOne() {
        TrainConfig t = TrainConfig.paper("sudoku-mlp").withCurriculum(null, 0.7);
        double sum = 0;
        for (int k = 0; k < 8; k++) {
            sum += t.supervisionWeight(k, 8);
            if (k > 0) assertEquals(0.7, t.supervisionWeight(k, 8) / t.supervisionWeight(k - 1, 8), 1e-12);
        }
        assertEquals(8.0, sum, 1e-12);
        assertEquals(1.0, TrainConfig.paper("sudoku-mlp").supervisionWeight(5, 8), 0.0, "no decay: weight 1");
        assertNull(TrainPlan.curriculum(t, new TrainRequest.Extras(null, 1.0, null), model(2, 2)).supervisionDecay(), "W = 1 is off");
        assertThrows(InputException.class, () -> t.withCurriculum(null, -0.5));
    }

    @Test
    void aRecipeWithoutTheNewFieldsStillLoads() {
        TrainConfig t = TrainConfig.paper("sudoku-mlp").withCurriculum(DepthCurriculum.parse("T1n1@0.5"), 0.8);
        assertEquals(t, TrainConfig.fromJson(t.toJson(), "test"));
        String old = TrainConfig.paper("sudoku-mlp").toJson().replace(",\"depthCurriculum\":null", "").replace(",\"supervisionDecay\":null", "");
        assertTrue(!old.contains("depthCurriculum"), old);
        assertEquals(TrainConfig.paper("sudoku-mlp"), TrainConfig.fromJson(old, "old checkpoint"));
    }

    @Test
    void aRunLogsEachStepsDepthAndResumesInTheSameStage(@TempDir Path tmp) throws IOException {
        Path data = RandomData.write(tmp.resolve("data"), 5, 6, 3, 10, 1);
        Path whole = tmp.resolve("whole");
        String[] flags = {"--max-steps", "8", "--n", "2", "--T", "2", "--depth-curriculum", "T1n1@0.25,T1n2@0.5",
            "--supervision-decay", "0.5", "--checkpoint-interval", "3", "--eval-data", "again=" + data};
        assertEquals(0, Main.run(TrainingTest.train(data, whole, flags)));
        List<JsonNode> steps = TrainingTest.lines(whole, "train");
        int[][] expected = {{1, 1}, {1, 1}, {1, 2}, {1, 2}, {2, 2}, {2, 2}, {2, 2}, {2, 2}};
        for (int i = 0; i < 8; i++) {
            assertEquals(expected[i][0], steps.get(i).path("T").asInt(), "T at step " + (i + 1));
            assertEquals(expected[i][1], steps.get(i).path("n").asInt(), "n at step " + (i + 1));
            assertTrue(steps.get(i).path("seconds").asDouble() > 0);
        }
        List<JsonNode> evals = TrainingTest.lines(whole, "eval");
        assertEquals("again", evals.get(evals.size() - 1).path("set").asText(), "the --eval-data set is scored after the test split");
        assertEquals(evals.get(0).path("accuracy").asDouble(), evals.get(1).path("accuracy").asDouble(), 0.0, "same data, same score");

        // a run of 3 steps resumed to 8: steps 4..8 take the stages of an 8-step run
        Path part = tmp.resolve("part");
        String[] first = java.util.Arrays.copyOf(flags, flags.length);
        first[1] = "3";
        assertEquals(0, Main.run(TrainingTest.train(data, part, first)));
        assertEquals(0, Main.run("train", "--resume", part.toString(), "--max-steps", "8", "--no-progress"));
        List<JsonNode> resumed = TrainingTest.lines(part, "train");
        assertEquals(8, resumed.size());
        for (int i = 3; i < 8; i++) {
            assertEquals(steps.get(i).path("T").asInt(), resumed.get(i).path("T").asInt());
            assertEquals(steps.get(i).path("n").asInt(), resumed.get(i).path("n").asInt());
        }
        assertEquals(2, Main.run("train", "--resume", part.toString(), "--depth-curriculum", "off", "--no-progress"),
                "the recipe of a resumed run is the checkpoint's");
    }
}
