package io.github.trm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.cli.Main;
import io.github.trm4j.model.Backend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM (what Ctrl-C and `kill` send) finishes the step, writes the checkpoint and exits 130; the run resumes. */
class StopSignalTest {
    @Test
    void aSignalStopsAfterTheStepWithACompleteCheckpoint(@TempDir Path tmp) throws Exception {
        Path data = RandomData.write(tmp.resolve("data"), 5, 6, 3, 10, 1);
        Path run = tmp.resolve("run");
        Path log = tmp.resolve("child.log");
        Process child = ChildJvm.start(tmp, log, Main.class.getName(), "train", "--preset", "sudoku-att-tiny", "--data", data.toString(), "--out", run.toString(),
                "--batch-size", "6", "--max-steps", "100000", "--checkpoint-interval", "0", "--no-progress");
        try {
            waitForSteps(run.resolve(MetricsLog.FILE), 3, child, log);
            child.destroy(); // SIGTERM
            assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child stops");
        } finally {
            child.destroyForcibly();
        }
        String out = Files.readString(log);
        assertEquals(StopSignal.EXIT_CODE, child.exitValue(), out);
        assertTrue(out.contains("continue with: ./trm train --resume"), out);
        long step = RunState.read(run).step();
        assertTrue(step >= 3, "checkpoint at the step reached, not before: " + step);
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("hs_err")), "no JVM crash report");
        }
        Backend.init();
        assertEquals(0, Main.run("train", "--resume", run.toString(), "--max-steps", String.valueOf(step + 1), "--no-progress", "--eval-limit", "2"));
        assertEquals(step + 1, RunState.read(run).step());
    }

    private static void waitForSteps(Path metrics, int steps, Process child, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) throw new AssertionError("the child exited early: " + Files.readString(log));
            if (Files.exists(metrics) && Files.readAllLines(metrics).size() >= steps) return;
            Thread.sleep(20);
        }
        throw new AssertionError("the child made no progress: " + Files.readString(log));
    }
}
