package io.github.trm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.trm4j.model.Backend;
import io.github.trm4j.model.Checkpoint;
import io.github.trm4j.model.ComputeDevice;
import io.github.trm4j.model.ModelConfig;
import io.github.trm4j.model.Safetensors;
import io.github.trm4j.model.TrmModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --trajectories, --augment, --select in trm solve and trm eval on tiny models; bad values exit 2 naming the flag. */
class ThinkingCommandTest {
    @TempDir static Path dir;
    static Path sudokuModel;
    static Path mazeModel;
    static Path data;

    @BeforeAll
    static void setUp() throws Exception {
        Backend.init();
        sudokuModel = save(ModelConfig.preset("sudoku-mlp-tiny"), "sudoku.safetensors");
        mazeModel = save(new ModelConfig(32, 2, 2, 1, 1, 1, 3, 0.1, 0, 0, ModelConfig.PosEncoding.ROPE, 10000, 1e-5,
                ModelConfig.Mixer.ATTENTION, ModelConfig.ForwardDtype.FLOAT32, 6, 25, 1), "maze.safetensors");
        Path csv = dir.resolve("p.csv");
        assertEquals(0, CliRun.of("data", "generate", "sudoku", "--count", "3", "--givens", "40-40", "--seed", "1", "--out", csv.toString()).exitCode());
        data = dir.resolve("data");
        assertEquals(0, CliRun.of("data", "build", "sudoku", "--input", csv.toString(), "--out", data.toString()).exitCode());
    }

    private static Path save(ModelConfig c, String name) {
        Path file = dir.resolve(name);
        Safetensors.write(file, TrmModel.initialise(c, 3, ComputeDevice.CPU).state(), Map.of(Checkpoint.CONFIG, c.toJson()), false);
        return file;
    }

    @Test
    void evalReportsAccuracyAgainstKForEveryRule() throws Exception {
        Path out = dir.resolve("eval");
        CliRun r = CliRun.of("eval", "--checkpoint", sudokuModel.toString(), "--data", data.toString(), "--split", "train", "--steps", "2",
                "--trajectories", "2", "--augment", "2", "--select", "vote", "--noise", "0.5", "--no-progress", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("thinking: 2 trajectories × 2 copies (σ 0.50 on z, steps all), rule vote, 48 net calls per puzzle"), r.err());
        assertTrue(r.err().contains("exact by K, rules:"), r.err());
        JsonNode t = new ObjectMapper().readTree(Files.readString(out.resolve("metrics.json"))).get("thinking");
        assertEquals("vote", t.get("select").asText());
        assertEquals(4, t.get("k").asInt());
        assertEquals(0.5, t.get("noise").asDouble());
        ModelConfig c = ModelConfig.preset("sudoku-mlp-tiny");
        double perCandidate = 2.0 * c.recursions() * (c.latentSteps() + 1); // 2 steps of T deep recursions of n + 1 calls
        assertEquals(4 * perCandidate, t.get("net_calls_per_puzzle").asDouble());
        for (String rule : new String[] {"q", "vote", "rules"}) {
            JsonNode curve = t.get("accuracy_vs_k").get(rule);
            assertEquals(2, curve.size(), rule);
            assertEquals(1, curve.get(0).get("k").asInt());
            assertEquals(4, curve.get(1).get("k").asInt());
            assertEquals(perCandidate, curve.get(0).get("net_calls_per_puzzle").asDouble());
        }
    }

    @Test
    void solveShowsTheWinnerOfAMaze() throws Exception {
        Path maze = dir.resolve("m.txt");
        Files.writeString(maze, "S    \n ### \n   # \n # # \n    G\n");
        CliRun r = CliRun.of("solve", "--checkpoint", mazeModel.toString(), "--maze", maze.toString(), "--trajectories", "3",
                "--augment", "8", "--select", "rules", "--no-color");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("thinking: 3 trajectories × 8 copies (σ "), r.out());
        assertTrue(r.out().contains(" of 24 agree, "), r.out());
        CliRun nine = CliRun.of("solve", "--checkpoint", mazeModel.toString(), "--maze", maze.toString(), "--augment", "9");
        assertEquals(2, nine.exitCode());
        assertEquals("trm: augment: a maze has 8 symmetries, got 9\n", nine.err());
    }

    @Test
    void badValuesExit2NamingTheFlag() {
        String p = "003020600900305001001806400008102900700000008006708200002609500800203009005010300";
        String[][] cases = {
            {"--trajectories", "0", "trm: --trajectories: must be at least 1, got 0"},
            {"--augment", "-2", "trm: --augment: must be at least 1, got -2"},
            {"--noise", "-0.5", "trm: --noise: must be a number >= 0, got -0.5"},
            {"--select", "best", "trm: --select: expected q, vote or rules, got 'best'"},
            {"--noise-on", "x", "trm: --noise-on: expected z, y or both, got 'x'"},
            {"--noise-steps", "3-1", "trm: --noise-steps: expected all, N or FIRST-LAST (supervision steps, 1-based), got '3-1'"},
        };
        for (String[] c : cases) {
            CliRun solve = CliRun.of("solve", "--sudoku", p, c[0], c[1]);
            assertEquals(2, solve.exitCode(), c[0]);
            assertEquals(c[2] + "\n", solve.err());
            CliRun eval = CliRun.of("eval", "--checkpoint", "none.safetensors", "--data", "none", "--out", "none", c[0], c[1]);
            assertEquals(2, eval.exitCode(), c[0]);
            assertEquals(c[2] + "\n", eval.err());
        }
    }
}
