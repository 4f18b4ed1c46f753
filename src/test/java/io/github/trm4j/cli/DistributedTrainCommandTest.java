package io.github.trm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.model.Checkpoint;
import io.github.trm4j.model.Safetensors;
import io.github.trm4j.train.RandomData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trm train --nproc-per-node 2}: two worker JVMs over Gloo on 127.0.0.1. One of them is
 * killed with SIGKILL mid-run: the other exits non-zero within the timeout with one line naming
 * rank 1, the last checkpoint stays intact, and {@code --resume} (here in one process) continues it.
 */
class DistributedTrainCommandTest {
    @Test
    void killedRankEndsTheRunAndResumeContinues(@TempDir Path tmp) throws Exception {
        Path data = RandomData.write(tmp.resolve("data"), 5, 6, 3, 12, 1);
        Path run = tmp.resolve("run");
        CompletableFuture<CliRun> launched = CompletableFuture.supplyAsync(() -> CliRun.of("train", "--nproc-per-node", "2",
                "--preset", "sudoku-mlp-tiny", "--data", data.toString(), "--out", run.toString(), "--batch-size", "4",
                "--max-steps", "100000", "--checkpoint-interval", "2", "--dist-timeout", "60", "--eval-limit", "4"));
        Path last = run.resolve("last.safetensors");
        long waited = System.nanoTime();
        while (!Files.exists(last) && !launched.isDone() && System.nanoTime() - waited < TimeUnit.MINUTES.toNanos(5)) Thread.sleep(100);
        assertTrue(Files.exists(last), "no checkpoint was written: " + (launched.isDone() ? launched.get().err() : "still running"));
        List<ProcessHandle> workers = ProcessHandle.current().children()
                .sorted(Comparator.comparing(p -> p.info().startInstant().orElseThrow())).toList();
        assertEquals(2, workers.size());
        long killed = System.nanoTime();
        workers.get(1).destroyForcibly(); // SIGKILL to rank 1
        CliRun r = launched.get(3, TimeUnit.MINUTES);
        assertTrue((System.nanoTime() - killed) / 1e9 < 60 + 15, "the launcher returned after the timeout and grace");
        assertNotEquals(0, r.exitCode());
        assertTrue(r.err().contains("[rank 0] trm: rank 0: ") && r.err().contains("rank 1 stopped (died or hung)"), r.err());
        assertTrue(r.err().contains("trm: rank 1 was killed by signal 9"), r.err());

        long saved = Long.parseLong(Safetensors.read(last).metadata().get(Checkpoint.STEP));
        CliRun resumed = CliRun.of("train", "--resume", run.toString(), "--max-steps", Long.toString(saved + 2), "--no-progress");
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.err().contains("trained 2 steps (steps " + saved + " to " + (saved + 2) + " of " + (saved + 2) + ")"), resumed.err());
    }
}
