package io.github.trm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code trm demo} end to end on the shipped model, with a bound generous enough for a busy CI machine. */
class DemoCommandTest {
    @Test
    void runsAndEndsWithAnHonestTable() {
        CliRun r = assertTimeoutPreemptively(Duration.ofMinutes(5), () -> CliRun.of("demo", "--seed", "7", "--no-color"));
        assertEquals(0, r.exitCode(), r.err());
        String out = r.out();
        assertTrue(out.contains("puzzles: 3 fresh from trm4j's generator (--seed 7 repeats them) and 3 published ones"), out);
        assertTrue(out.contains("How the model refines puzzle "), out);
        assertTrue(out.contains("step 1: "), out);
        assertTrue(out.contains("step 8: ") || out.contains(": no change, confidence "), out); // every step, or the last ones folded
        assertTrue(out.contains("#   puzzle                      givens  model    cells wrong  steps  confidence  model ms  solver ms"), out);
        // one table row per puzzle; "correct" exactly when no cell is wrong
        Matcher m = Pattern.compile("(?m)^(\\d)\\s+(.+?)\\s+(\\d+)\\s+(correct|WRONG)\\s+(\\d+)\\s+(\\d+)\\s+(0\\.\\d{3}|1\\.000)\\s+\\d+\\s+[\\d.]+$").matcher(out);
        int rows = 0, correct = 0;
        while (m.find()) {
            rows++;
            boolean ok = m.group(4).equals("correct");
            assertEquals(ok, m.group(5).equals("0"), m.group());
            if (ok) correct++;
        }
        assertEquals(6, rows, out);
        assertTrue(out.contains("the model solved " + correct + " of 6 puzzles; the exact solver solves all of them."), out);
        assertTrue(out.contains(" 45  ") && out.contains(" 38  ") && out.contains(" 30  "), out);

        // the maze part: the shipped maze model, its steps, then BFS's verdict; the total comes last
        assertTrue(out.contains("\nmaze model: shipped-maze ("), out);
        assertTrue(out.contains("A maze: shipped-maze looks for the way through a 11x11 maze from trm4j's generator (seed 1, shortest path "), out);
        assertTrue(out.contains("Its answer after each supervision step that changed it, changed cells marked *:"), out);
        assertTrue(out.matches("(?s).*\n\\d+ steps, confidence [01]\\.\\d{3}, \\d+ ms; check: .*"), out);
        assertTrue(out.contains("exact solver (BFS, "), out);
        assertTrue(out.matches("(?s).*\nTotal \\d+\\.\\d s \\(model loading \\d+\\.\\d s\\)\\.\n"), out);
    }

    @Test
    void brokenCheckpointIsOneLine() throws Exception {
        java.nio.file.Path f = java.nio.file.Files.createTempFile("broken", ".safetensors");
        java.nio.file.Files.writeString(f, "nope");
        CliRun r = CliRun.of("demo", "--checkpoint", f.toString());
        assertEquals(2, r.exitCode());
        assertEquals("trm: " + f + ": neither a safetensors file nor a PyTorch checkpoint\n", r.err());
        java.nio.file.Files.delete(f);
    }
}
