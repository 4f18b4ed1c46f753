package io.github.trm4j.cli;

import static io.github.trm4j.AtomicOutputTest.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.train.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14.1: {@code --force} never deletes anything that is not a previous output of the same command. */
class ForceTest {

    /** A folder of the user's holding the input CSV and files that must survive. */
    private static Path userFolder(Path tmp) throws Exception {
        Path d = Files.createDirectories(tmp.resolve("d"));
        SudokuCommandsTest.csv(d, "in.csv", 0, 3);
        Files.writeString(d.resolve("notes.txt"), "mine");
        Files.createDirectories(d.resolve("train"));
        Files.writeString(d.resolve("train/dataset.json"), "{\"mine\": true}");
        return d;
    }

    /** The reported case: {@code cd d && trm data build sudoku --input in.csv --out . --force}, and {@code --out ..}. */
    @Test
    void buildIntoTheWorkingFolderOrItsParentIsRefusedAndDeletesNothing(@TempDir Path tmp) throws Exception {
        Path d = userFolder(tmp);
        Map<String, String> before = snapshot(tmp);
        for (String[] c : new String[][] {{".", "is the working folder"}, {"..", "holds the working folder"}}) {
            Path log = Files.createTempFile("force-test", ".log");
            Process p = ChildJvm.start(d, log, Main.class.getName(), "data", "build", "sudoku", "--input", "in.csv", "--out", c[0], "--force");
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child finished");
            String out = Files.readString(log);
            Files.delete(log);
            assertEquals(2, p.exitValue(), out);
            assertTrue(out.startsWith("trm: " + c[0] + ": " + c[1]), out);
            assertEquals(1, out.strip().lines().count(), out);
            assertEquals(before, snapshot(tmp));
        }
    }

    @Test
    void buildOverAFolderOfTheUsersIsRefusedAndOverItsOwnOutputReplaces(@TempDir Path tmp) throws Exception {
        Path d = userFolder(tmp);
        String in = d.resolve("in.csv").toString();
        Map<String, String> before = snapshot(d);
        CliRun r = CliRun.of("data", "build", "sudoku", "--input", in, "--out", d.toString(), "--force");
        assertEquals(2, r.exitCode(), r.err());
        assertEquals("trm: " + d + ": has no .trm4j-output marker, so it is not a folder trm wrote; --force replaces only a folder trm wrote"
                + " (remove it yourself or choose another output folder)", r.err().strip());
        assertEquals(before, snapshot(d));

        Path out = tmp.resolve("data");
        assertEquals(0, CliRun.of("data", "build", "sudoku", "--input", in, "--out", out.toString()).exitCode());
        assertEquals(2, CliRun.of("data", "build", "sudoku", "--input", in, "--out", out.toString()).exitCode(), "needs --force");
        r = CliRun.of("data", "build", "sudoku", "--input", in, "--out", out.toString(), "--force", "--augment", "1");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.readString(out.resolve("train/dataset.json")).contains("\"total_groups\""), "rebuilt");

        Files.writeString(out.resolve("README.txt"), "my notes on this dataset");
        r = CliRun.of("data", "build", "sudoku", "--input", in, "--out", out.toString(), "--force");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("README.txt, which trm did not write"), r.err());
        assertEquals("my notes on this dataset", Files.readString(out.resolve("README.txt")));
        assertEquals(before, snapshot(d));
    }

    @Test
    void fileOutputsNeverReplaceAFolder(@TempDir Path tmp) throws Exception {
        Path d = userFolder(tmp);
        Map<String, String> before = snapshot(tmp);
        CliRun r = CliRun.of("data", "generate", "sudoku", "--count", "1", "--out", d.toString(), "--force");
        assertEquals(2, r.exitCode(), r.err());
        assertEquals("trm: " + d + ": is a folder, not a file", r.err().strip());
        assertEquals(before, snapshot(tmp));
    }
}
