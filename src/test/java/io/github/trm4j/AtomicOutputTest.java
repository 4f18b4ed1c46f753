package io.github.trm4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --force replaces only what trm wrote; everything of the user's survives every refusal. */
public class AtomicOutputTest {

    /** Writes an output of {@code kind} holding {@code files} (name to content) into {@code target}. */
    private static void write(Path target, String kind, boolean force, Map<String, String> files) throws Exception {
        Path tmp = AtomicOutput.beginDirectory(target, kind, force);
        try {
            for (var f : files.entrySet()) {
                Path p = tmp.resolve(f.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, f.getValue());
            }
            AtomicOutput.commitDirectory(tmp, target);
        } catch (RuntimeException e) {
            AtomicOutput.abandon(tmp);
            throw e;
        }
    }

    /** Every file below {@code dir} with its content. */
    public static Map<String, String> snapshot(Path dir) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) if (Files.isRegularFile(p)) m.put(dir.relativize(p).toString(), Files.readString(p));
        }
        return m;
    }

    private static Path userFolder(Path parent) throws Exception {
        Path d = Files.createDirectories(parent.resolve("mine"));
        Files.writeString(d.resolve("thesis.tex"), "years of work");
        Files.createDirectories(d.resolve("train"));
        Files.writeString(d.resolve("train/dataset.json"), "{\"mine\": true}");
        return d;
    }

    private static void assertRefused(String expected, Path target, String kind) throws Exception {
        Map<String, String> before = snapshot(target.getParent());
        InputException e = assertThrows(InputException.class, () -> write(target, kind, true, Map.of("train/dataset.json", "{}")));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(before, snapshot(target.getParent()), "nothing of the user's may change");
    }

    @Test
    void forceReplacesAPreviousOutputByRenameAndLeavesNothingAside(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("data");
        write(out, "dataset", false, Map.of("train/dataset.json", "{\"v\":1}", "identifiers.json", "[]"));
        assertEquals(List.of("dataset", "identifiers.json", "train/", "train/dataset.json"),
                Files.readAllLines(out.resolve(AtomicOutput.MARKER)));
        write(out, "dataset", true, Map.of("train/dataset.json", "{\"v\":2}"));
        assertEquals("{\"v\":2}", Files.readString(out.resolve("train/dataset.json")));
        assertFalse(Files.exists(out.resolve("identifiers.json")), "the old output is gone as a whole");
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(out), s.toList(), "no temporary or old folder is left beside the output");
        }
    }

    @Test
    void forceRefusesAFolderWithoutMarker(@TempDir Path tmp) throws Exception {
        assertRefused("has no .trm4j-output marker", userFolder(tmp), "dataset");
    }

    @Test
    void forceRefusesAPreviousOutputWithAUserFileAdded(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("data");
        write(out, "dataset", false, Map.of("train/dataset.json", "{}"));
        Files.writeString(out.resolve("train/notes.txt"), "my notes");
        assertRefused("notes.txt, which trm did not write", out, "dataset");
    }

    @Test
    void forceRefusesAnOutputOfAnotherKind(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("eval");
        write(out, "eval", false, Map.of("metrics.json", "{}"));
        assertRefused("holds a eval output, not a dataset output", out, "dataset");
    }

    @Test
    void aUserFileAddedAfterTheStartStopsTheCommit(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("data");
        write(out, "dataset", false, Map.of("train/dataset.json", "{}"));
        Path work = AtomicOutput.beginDirectory(out, "dataset", true);
        Files.writeString(out.resolve("late.txt"), "added while the build ran");
        assertThrows(InputException.class, () -> AtomicOutput.commitDirectory(work, out));
        AtomicOutput.abandon(work);
        assertEquals("added while the build ran", Files.readString(out.resolve("late.txt")));
    }

    @Test
    void aFileWhereAFolderIsExpectedIsRefusedForcedOrNot(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("out"), "keep me");
        assertRefused("is a file, not a folder", file, "dataset");
        Path below = file.resolve("sub");
        InputException e = assertThrows(InputException.class, () -> AtomicOutput.beginDirectory(below, "dataset", true));
        assertTrue(e.getMessage().contains(file + " is a file, not a folder"), e.getMessage());
        e = assertThrows(InputException.class, () -> AtomicOutput.beginFile(below, true));
        assertTrue(e.getMessage().contains(file + " is a file, not a folder"), e.getMessage());
        assertEquals("keep me", Files.readString(file));
    }

    @Test
    void aFolderWhereAFileIsExpectedIsRefusedEvenEmpty(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("out.csv"));
        InputException e = assertThrows(InputException.class, () -> AtomicOutput.beginFile(dir, true));
        assertTrue(e.getMessage().contains("is a folder, not a file"), e.getMessage());
        assertTrue(Files.isDirectory(dir));
    }

    @Test
    void aSymbolicLinkIsNotFollowedOrReplaced(@TempDir Path tmp) throws Exception {
        Path real = userFolder(tmp);
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        assertRefused("is a symbolic link", link, "dataset");
    }

    @Test
    void rootHomeWorkingFolderAndItsParentsAreNeverReplaced(@TempDir Path tmp) throws Exception {
        Path home = userFolder(tmp).toRealPath();
        Path cwd = Files.createDirectories(home.resolve("project/sub")).toRealPath();
        String[][] cases = {{"/", "is the root folder"}, {home.toString(), "is the home folder"},
            {cwd.toString(), "is the working folder"}, {cwd.resolve("..").toString(), "holds the working folder"}};
        for (String[] c : cases) {
            InputException e = assertThrows(InputException.class, () -> AtomicOutput.refuseProtected(Path.of(c[0]), cwd, home));
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
        }
        AtomicOutput.refuseProtected(cwd.resolve("new"), cwd, home); // below the working folder: allowed
    }

    @Test
    void anEmptyFolderIsFilledWithoutForce(@TempDir Path tmp) throws Exception {
        Path out = Files.createDirectories(tmp.resolve("empty"));
        write(out, "trace", false, Map.of("logits.npy", "x"));
        assertEquals("x", Files.readString(out.resolve("logits.npy")));
    }
}
