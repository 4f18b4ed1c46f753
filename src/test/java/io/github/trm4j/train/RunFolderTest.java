package io.github.trm4j.train;

import static io.github.trm4j.train.TrainingTest.train;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.cli.Main;
import io.github.trm4j.model.Backend;
import io.github.trm4j.model.Safetensors;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14.7: a run folder appears only once training starts, survives kill -9 at any moment, and is locked while in use. */
class RunFolderTest {
    @BeforeAll
    static void backend() {
        Backend.init();
    }

    /** Main.run with stderr captured. */
    private static String[] run(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new String[] {Integer.toString(code), err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(old);
        }
    }

    @Test
    void aRefusedRunLeavesNoFolder(@TempDir Path tmp) {
        Path data = RandomData.write(tmp.resolve("data"), 5, 6, 3, 10, 1);
        Path out = tmp.resolve("run");
        String[] r = run(train(data, out, "--max-steps", "1", "--batch-size", "7", "--micro-batch", "3"));
        assertEquals("2", r[0], r[1]);
        assertFalse(Files.exists(out), "no run folder after a refusal: " + r[1]);
        r = run(train(data, out, "--max-steps", "1", "--lr", "-1"));
        assertEquals("2", r[0], r[1]);
        assertFalse(Files.exists(out), "no run folder after a refusal: " + r[1]);
        if (!org.bytedeco.pytorch.global.torch.cuda_is_available()) { // refused when the model is placed, after the plan
            r = run(train(data, out, "--max-steps", "1", "--device", "cuda"));
            assertEquals("2", r[0], r[1]);
            assertFalse(Files.exists(out), "no run folder when the model cannot be placed: " + r[1]);
        }
    }

    @Test
    void aFolderWithoutTrainingIsStartedOverAndOneWithOtherFilesIsNeverCleared(@TempDir Path tmp) throws Exception {
        Path data = RandomData.write(tmp.resolve("data"), 5, 6, 3, 10, 1);
        Path out = Files.createDirectories(tmp.resolve("run"));
        // what a kill -9 during the first write leaves: the lock, a torn log line, a temporary file
        Files.writeString(out.resolve(RunFolder.LOCK), "");
        Files.writeString(out.resolve(MetricsLog.FILE), "{\"type\":\"tr");
        Files.writeString(out.resolve(".last.safetensors.tmp-123"), "partial");
        String[] r = run("train", "--resume", out.toString(), "--no-progress");
        assertEquals("2", r[0], r[1]);
        assertTrue(r[1].contains(out + " has no checkpoint (the run was stopped while starting)"), r[1]);
        r = run(train(data, out, "--max-steps", "1"));
        assertEquals("0", r[0], r[1]);
        assertFalse(Files.exists(out.resolve(".last.safetensors.tmp-123")));

        Files.writeString(out.resolve("notes.txt"), "mine");
        r = run(train(data, out, "--max-steps", "1", "--force"));
        assertEquals("2", r[0], r[1]);
        assertTrue(r[1].contains("holds notes.txt, which trm train did not write"), r[1]);
        assertEquals("mine", Files.readString(out.resolve("notes.txt")));
        assertTrue(Files.exists(out.resolve(RunState.LAST)), "nothing cleared");
    }

    /**
     * A real second process: while it trains, --resume and --force on its folder are refused; after
     * kill -9 before its first interval checkpoint both a rerun and --resume accept the folder, and
     * the resumed run ends with the weights of an uninterrupted one.
     */
    @Test
    void aLockedFolderIsRefusedAndAKilledOneRestarts(@TempDir Path tmp) throws Exception {
        Path data = RandomData.write(tmp.resolve("data"), 5, 6, 3, 10, 1);
        Path out = tmp.resolve("run");
        Path log = tmp.resolve("child.log");
        Process child = ChildJvm.start(tmp, log, Main.class.getName(),
                train(data, out, "--max-steps", "100000", "--checkpoint-interval", "100000"));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!(Files.exists(out.resolve(MetricsLog.FILE)) && Files.size(out.resolve(MetricsLog.FILE)) > 0)) {
                assertTrue(child.isAlive(), () -> "the child exited early: " + read(log));
                assertTrue(System.nanoTime() < deadline, "the child never started training");
                Thread.sleep(20);
            }
            String[] r = run("train", "--resume", out.toString(), "--no-progress");
            assertEquals("2", r[0], r[1]);
            assertEquals("trm: " + out + ": another trm train is running in this run folder (it holds " + out.resolve(RunFolder.LOCK)
                    + "); wait for it to end or stop it", r[1].strip());
            long logSize = Files.size(out.resolve(MetricsLog.FILE));
            r = run(train(data, out, "--max-steps", "1", "--force"));
            assertEquals("2", r[0], r[1]);
            assertTrue(r[1].contains("another trm train is running"), r[1]);
            assertTrue(Files.size(out.resolve(MetricsLog.FILE)) >= logSize, "the running run's log is untouched");
        } finally {
            child.destroyForcibly().waitFor();
        }
        assertEquals(0, RunFolder.trainedSteps(out), "killed before its first interval checkpoint");

        Path copy = Files.createDirectories(tmp.resolve("copy"));
        try (var files = Files.list(out)) {
            for (Path f : files.toList()) Files.copy(f, copy.resolve(f.getFileName()));
        }
        String[] r = run(train(data, out, "--max-steps", "3"));
        assertEquals("0", r[0], "a rerun accepts the folder: " + r[1]);
        r = run("train", "--resume", copy.toString(), "--max-steps", "3", "--no-progress", "--eval-limit", "6");
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains(copy + " was stopped before its first checkpoint; starting it from scratch"), r[1]);
        try (var a = Safetensors.read(out.resolve(RunState.MODEL)); var b = Safetensors.read(copy.resolve(RunState.MODEL))) {
            Map<String, Tensor> ta = a.tensors(), tb = b.tensors();
            assertEquals(ta.keySet(), tb.keySet());
            for (String k : ta.keySet()) assertTrue(ta.get(k).equal(tb.get(k)), k + " differs between the rerun and the resumed run");
        }
        assertEquals(List.of(1L, 2L, 3L), TrainingTest.lines(copy, "train").stream().map(n -> n.path("step").asLong()).toList());
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
