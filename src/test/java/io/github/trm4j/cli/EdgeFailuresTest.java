package io.github.trm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.data.NpyType;
import io.github.trm4j.model.Backend;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14.2: failures that are not malformed input reach the user as one {@code trm:} line, exit 2
 * when the user can fix the command line, 1 when the environment failed (disk full, read-only
 * folder), never a stack trace unless {@code --debug}. The disk-full and read-only cases mount a
 * small tmpfs and are skipped where mounting is not permitted (CI runs them in a container as root).
 */
class EdgeFailuresTest {
    private static final Path MODEL = Path.of("models/sudoku/model.safetensors");

    @BeforeAll
    static void backend() {
        Backend.init();
    }

    /** Exit {@code code}, one stderr line starting "trm: " and containing {@code part}. */
    private static void assertOneLine(int code, String part, String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(code, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("trm: ") && r.err().contains(part), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    private static Path csv(Path dir) throws Exception {
        return SudokuCommandsTest.csv(dir, "small.csv", 0, 30);
    }

    @Test
    void aFolderWhereAFileIsExpectedIsTheUsersError(@TempDir Path tmp) throws Exception {
        String dir = Files.createDirectories(tmp.resolve("folder")).toString();
        assertOneLine(2, dir, "data", "build", "sudoku", "--input", dir, "--out", tmp.resolve("o").toString());
        assertOneLine(2, dir, "data", "solve", "sudoku", "--input", dir);
        assertOneLine(2, dir, "trace", "--checkpoint", dir, "--inputs", dir, "--out", tmp.resolve("o").toString());
        assertOneLine(2, dir, "info", "--checkpoint", dir);
        assertOneLine(2, dir, "train", "--config", dir, "--data", dir, "--out", tmp.resolve("o").toString());
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    @Test
    void notTextAndLongLinesAreNamedByLine(@TempDir Path tmp) throws Exception {
        Path latin1 = Files.write(tmp.resolve("latin1.csv"), ("source,question,answer,rating\n\u00e9t\u00e9," + ".".repeat(81) + ",,\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        assertOneLine(2, latin1 + ": not UTF-8 text", "data", "build", "sudoku", "--input", latin1.toString(), "--out", tmp.resolve("o").toString());
        byte[] binary = new byte[1024];
        for (int i = 0; i < binary.length; i++) binary[i] = (byte) i;
        Path bin = Files.write(tmp.resolve("binary.txt"), binary);
        assertOneLine(2, bin + ": not UTF-8 text", "data", "solve", "sudoku", "--input", bin.toString());
        Path longLine = Files.writeString(tmp.resolve("long.txt"), "#" + "x".repeat(9000) + "\n" + SudokuCommandsTest.Q + "\n");
        CliRun r = CliRun.of("data", "solve", "sudoku", "--input", longLine.toString());
        assertEquals(0, r.exitCode(), "a comment line over 8 KB is read like any other: " + r.err());
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    @Test
    void anOutputBelowARegularFileIsTheUsersError(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("file.txt"), "mine");
        String below = file.resolve("out").toString();
        assertOneLine(2, file + " is a file, not a folder", "data", "build", "sudoku", "--input", csv(tmp).toString(), "--out", below);
        assertOneLine(2, file + " is a file, not a folder", "data", "generate", "sudoku", "--count", "1", "--out", below);
        assertEquals("mine", Files.readString(file));
    }

    @Test
    void traceInputsOfNoRowsOrAnAbsurdShapeAreRefused(@TempDir Path tmp) throws Exception {
        Path zero = tmp.resolve("zero.npy");
        io.github.trm4j.data.Npy.writeInts(zero, NpyType.INT32, new long[] {0, 81}, new int[0]);
        assertOneLine(2, "has batch 0; expected 1 to 65536", "trace", "--checkpoint", MODEL.toString(), "--inputs", zero.toString(),
                "--out", tmp.resolve("o").toString());
        String header = "{'descr': '<i4', 'fortran_order': False, 'shape': (3000000000, 0), }";
        header += " ".repeat(63 - header.length() % 64) + "\n";
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        byte[] file = new byte[10 + h.length];
        System.arraycopy(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) h.length, (byte) (h.length >> 8)}, 0, file, 0, 10);
        System.arraycopy(h, 0, file, 10, h.length);
        Path absurd = Files.write(tmp.resolve("absurd.npy"), file);
        assertOneLine(2, "has batch 3000000000", "trace", "--checkpoint", MODEL.toString(), "--inputs", absurd.toString(),
                "--out", tmp.resolve("o").toString());
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    @Test
    void hugeSizesInDatasetJsonAreBounded(@TempDir Path tmp) throws Exception {
        Path ds = tmp.resolve("ds");
        assertEquals(0, CliRun.of("data", "build", "sudoku", "--input", csv(tmp).toString(), "--out", ds.toString()).exitCode());
        Path meta = ds.resolve("train/dataset.json");
        String json = Files.readString(meta);
        Files.writeString(meta, json.replaceFirst("\"num_puzzle_identifiers\"\\s*:\\s*\\d+", "\"num_puzzle_identifiers\": 2147483647"));
        assertOneLine(2, "field 'num_puzzle_identifiers' is 2147483647, above the limit 4194304", "train", "--preset", "sudoku-mlp-tiny",
                "--data", ds.toString(), "--out", tmp.resolve("run").toString(), "--max-steps", "1", "--no-progress");
        Files.writeString(meta, json.replaceFirst("\"vocab_size\"\\s*:\\s*\\d+", "\"vocab_size\": 2147483647"));
        assertOneLine(2, "field 'vocab_size' is 2147483647, above the limit 65536", "data", "show", ds.toString());
        assertFalse(Files.exists(tmp.resolve("run")));
    }

    @Test
    void debugAddsTheStackTrace(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("file.txt"), "mine");
        CliRun r = CliRun.of("data", "generate", "sudoku", "--count", "1", "--out", file.resolve("x").toString(), "--debug");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("trm: ") && r.err().contains("\tat io.github.trm4j."), r.err());
    }

    @Test
    void serverStartUpFailuresAreOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            String port = Integer.toString(taken.getLocalPort());
            assertTimeoutPreemptively(Duration.ofSeconds(300), () -> assertOneLine(1, "cannot listen on 127.0.0.1:" + port + ": ",
                    "serve", "--port", port, "--checkpoint", MODEL.toString()));
        }
        assertOneLine(2, "--host no.such.host.invalid: not an address", "serve", "--host", "no.such.host.invalid", "--port", "0");
    }

    // ---- a real full disk and a read-only folder: a tmpfs of 64 KB --------------------------------

    private static Path mount(Path dir, String options) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString()).redirectErrorStream(true).start();
        boolean done = p.waitFor(20, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        Assumptions.assumeTrue(done && p.exitValue() == 0,
                "skipped: 'mount -t tmpfs' is not permitted here (" + out + "); the disk-full cases need root or CAP_SYS_ADMIN");
        return dir;
    }

    private static void unmount(Path dir) throws IOException, InterruptedException {
        new ProcessBuilder("umount", dir.toString()).redirectErrorStream(true).start().waitFor(20, TimeUnit.SECONDS);
    }

    private static List<String> names(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFullDiskIsOneLineAndLeavesNothingPartial(@TempDir Path tmp) throws Exception {
        Path in = csv(tmp);
        Path x = tmp.resolve("x.npy");
        io.github.trm4j.data.Npy.writeInts(x, NpyType.INT32, new long[] {8, 81}, new int[8 * 81]);
        Path full = mount(tmp.resolve("full"), "size=64k");
        try {
            assertOneLine(1, "No space left on device", "data", "build", "sudoku", "--input", in.toString(), "--augment", "200",
                    "--out", full.resolve("ds").toString());
            assertOneLine(1, "No space left on device", "trace", "--checkpoint", MODEL.toString(), "--inputs", x.toString(),
                    "--steps", "4", "--out", full.resolve("t").toString());
            assertOneLine(1, "cannot write " + full.resolve("s.txt") + ": No space left on device", "data", "solve", "sudoku",
                    "--input", SudokuCommandsTest.magictour().toString(), "--out", full.resolve("s.txt").toString());
            assertEquals(List.of(), names(full), "nothing partial is left");
        } finally {
            unmount(full);
        }
    }

    @Test
    void aReadOnlyFolderIsOneLine(@TempDir Path tmp) throws Exception {
        Path in = csv(tmp);
        Path ro = mount(tmp.resolve("ro"), "ro,size=64k");
        try {
            assertOneLine(1, "Read-only file system", "data", "build", "sudoku", "--input", in.toString(), "--out", ro.resolve("ds").toString());
            assertOneLine(1, "Read-only file system", "data", "solve", "sudoku", "--input", in.toString(), "--out", ro.resolve("s.txt").toString());
        } finally {
            unmount(ro);
        }
    }
}
