package io.github.trm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.data.PuzzleDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildArcCommandTest {
    private static final Path KAGGLE = Files.isDirectory(Path.of("..", "shared", "data"))
            ? Path.of("..", "shared", "data", "arc-kaggle") : Path.of("/work/shared/data/arc-kaggle");



    @Test
    void presetArc1WithTwoAugmentations(@TempDir Path tmp) {
        Path out = tmp.resolve("arc1");
        CliRun r = CliRun.of("data", "build", "arc", "--preset", "arc1", "--root", KAGGLE.toString(), "--augment", "2", "--no-progress", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        // every task reaches 2 augmentations: 3 versions of 960 tasks, of which the 400 evaluation tasks are tested
        PuzzleDataset train = PuzzleDataset.open(out, "train"), test = PuzzleDataset.open(out, "test");
        assertEquals(960, train.groups());
        assertEquals(2880, train.puzzles());
        assertEquals(3 * (1302 + 416 + 1363 + 427 + 480), train.examples());
        assertEquals(400, test.groups());
        assertEquals(1200, test.puzzles());
        assertEquals(3 * 419, test.examples());
        assertEquals(2881, train.metadata().numPuzzleIdentifiers());
        assertEquals(2881, test.metadata().numPuzzleIdentifiers());
        assertTrue(r.err().contains("train: 960 groups, 2,880 puzzles, 11,964 examples"), r.err());
        assertTrue(r.err().contains("not-full tasks (fewer than 3 versions): 0"), r.err());
    }

    @Test
    void badFlagsAndInputsExitWithCode2AndOneLine(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("o").toAbsolutePath();
        CliRun mixed = CliRun.of("data", "build", "arc", "--preset", "arc1", "--root", KAGGLE.toString(), "--input", "x", "--out", out.toString());
        assertEquals(2, mixed.exitCode());
        assertEquals("trm: --preset replaces --input and --test-input; give one or the other", mixed.err().strip());

        CliRun noTest = CliRun.of("data", "build", "arc", "--input", KAGGLE.resolve("arc-agi_training_challenges.json").toString(), "--out", out.toString());
        assertEquals(2, noTest.exitCode());
        assertEquals("trm: missing --test-input PATH (or use --preset arc1|arc2 --root DIR)", noTest.err().strip());

        CliRun noRoot = CliRun.of("data", "build", "arc", "--preset", "arc2", "--out", out.toString());
        assertEquals(2, noRoot.exitCode());
        assertTrue(noRoot.err().startsWith("trm: --preset needs --root DIR"), noRoot.err());

        CliRun badPreset = CliRun.of("data", "build", "arc", "--preset", "arc3", "--root", KAGGLE.toString(), "--out", out.toString());
        assertEquals(2, badPreset.exitCode());
        assertTrue(badPreset.err().contains("expected arc1 or arc2, got 'arc3'"), badPreset.err());

        Path broken = tmp.resolve("tasks/t1.json");
        Files.createDirectories(broken.getParent());
        Files.writeString(broken, "{\"train\": [{\"input\": [[1, 2], [3]], \"output\": [[1]]}], \"test\": [{\"input\": [[1]], \"output\": [[1]]}]}");
        CliRun bad = CliRun.of("data", "build", "arc", "--input", broken.getParent().toString(), "--test-input", broken.getParent().toString(), "--out", out.toString());
        assertEquals(2, bad.exitCode());
        assertEquals("trm: " + broken + ": task t1, train[0].input: grid not rectangular, row 1 has 1 cells but row 0 has 2", bad.err().strip());
        assertFalse(Files.exists(out));

        Path challenges = tmp.resolve("arc-agi_training_challenges.json");
        Files.copy(KAGGLE.resolve("arc-agi_training_challenges.json"), challenges);
        CliRun noSolutions = CliRun.of("data", "build", "arc", "--input", challenges.toString(), "--test-input", challenges.toString(), "--out", out.toString());
        assertEquals(2, noSolutions.exitCode());
        assertTrue(noSolutions.err().contains("solutions file arc-agi_training_solutions.json not found beside it"), noSolutions.err());

        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "mine");
        CliRun exists = CliRun.of("data", "build", "arc", "--input", KAGGLE.resolve("arc-agi_concept_challenges.json").toString(),
                "--test-input", KAGGLE.resolve("arc-agi_concept_challenges.json").toString(), "--augment", "0", "--no-progress", "--out", out.toString());
        assertEquals(2, exists.exitCode());
        assertTrue(exists.err().contains("output folder is not empty (pass --force to replace it)"), exists.err());
        assertEquals("mine", Files.readString(out.resolve("keep.txt")));

        CliRun refused = CliRun.of("data", "build", "arc", "--input", KAGGLE.resolve("arc-agi_concept_challenges.json").toString(),
                "--test-input", KAGGLE.resolve("arc-agi_concept_challenges.json").toString(), "--augment", "0", "--no-progress", "--force", "--out", out.toString());
        assertEquals(2, refused.exitCode());
        assertTrue(refused.err().contains("--force replaces only a folder trm wrote"), refused.err());
        assertEquals("mine", Files.readString(out.resolve("keep.txt")), "--force never deletes the user's files");
        Files.delete(out.resolve("keep.txt"));

        CliRun forced = CliRun.of("data", "build", "arc", "--input", KAGGLE.resolve("arc-agi_concept_challenges.json").toString(),
                "--test-input", KAGGLE.resolve("arc-agi_concept_challenges.json").toString(), "--augment", "0", "--no-progress", "--force", "--out", out.toString());
        assertEquals(0, forced.exitCode(), forced.err());
        assertEquals(160, PuzzleDataset.open(out, "test").groups());
        assertFalse(Files.exists(out.resolve("keep.txt")));
    }
}
