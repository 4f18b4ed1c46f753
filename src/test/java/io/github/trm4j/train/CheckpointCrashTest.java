package io.github.trm4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.cli.Main;
import io.github.trm4j.model.Backend;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer killed in the middle of a checkpoint leaves the previous one whole, and the run resumes from it. */
class CheckpointCrashTest {
    @BeforeAll
    static void backend() {
        Backend.init();
    }

    @Test
    void aKilledWriterLeavesThePreviousCheckpointIntact(@TempDir Path tmp) throws Exception {
        Path data = RandomData.write(tmp.resolve("data"), 5, 6, 3, 10, 1);
        Path run = tmp.resolve("run");
        assertEquals(0, Main.run("train", "--preset", "sudoku-att-tiny", "--data", data.toString(), "--out", run.toString(),
                "--batch-size", "6", "--max-steps", "2", "--no-progress", "--eval-limit", "2", "--dtype", "fp32"));
        byte[] before = Files.readAllBytes(run.resolve(RunState.LAST));

        Process child = startChild(run, data);
        try {
            Path partial = waitForPartialWrite(run, child);
            child.destroyForcibly().waitFor();
            assertTrue(Files.exists(partial), "the child died mid-write, leaving its temporary file");
        } finally {
            child.destroyForcibly();
        }
        assertArrayEquals(before, Files.readAllBytes(run.resolve(RunState.LAST)), "last.safetensors is untouched");
        assertEquals(2, RunState.read(run).step());

        assertEquals(0, Main.run("train", "--resume", run.toString(), "--max-steps", "3", "--no-progress", "--eval-limit", "2"));
        assertEquals(3, RunState.read(run).step());
        try (Stream<Path> s = Files.list(run)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "resume clears the dead writer's temporary files");
        }
    }

    private static Process startChild(Path run, Path data) throws Exception {
        return ChildJvm.start(run.getParent(), run.resolveSibling("child.log"), KilledWriterChild.class.getName(), run.toString(), data.toString());
    }

    /** The child's temporary last.safetensors once it holds more than 32 MB (the complete file is ~400 MB). */
    private static Path waitForPartialWrite(Path run, Process child) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) throw new AssertionError("the child exited early: " + Files.readString(run.resolveSibling("child.log")));
            File[] tmps = run.toFile().listFiles((d, n) -> n.startsWith(".last.safetensors.tmp-"));
            if (tmps != null && tmps.length == 1 && tmps[0].length() > (32L << 20)) return tmps[0].toPath();
            Thread.sleep(5);
        }
        throw new AssertionError("the child never started writing");
    }
}
