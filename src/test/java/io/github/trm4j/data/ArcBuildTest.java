package io.github.trm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small real build: training tasks 007bbfb7 (5 demonstrations + 1 test) and 00d62c1b (5 + 1),
 * evaluation task 00576224 (2 + 1) as the test subset, 4 augmentations, seed 42.
 */
class ArcBuildTest {
    @TempDir
    static Path tmp;
    static Path train;
    static Path eval;
    static Path out;
    static ArcBuild.Result result;

    @BeforeAll
    static void build() throws IOException {
        Path data = ArcTestData.root().resolve("arc-agi-1");
        train = Files.createDirectories(tmp.resolve("in/train"));
        eval = Files.createDirectories(tmp.resolve("in/eval"));
        Files.copy(data.resolve("training/007bbfb7.json"), train.resolve("007bbfb7.json"));
        Files.createDirectories(train.resolve("sub"));
        Files.copy(data.resolve("training/00d62c1b.json"), train.resolve("sub/00d62c1b.json"));
        Files.copy(data.resolve("evaluation/00576224.json"), eval.resolve("00576224.json"));
        out = tmp.resolve("out");
        result = ArcBuild.run(List.of(train), eval, new ArcBuild.Options(4, 42, false, false), out);
    }

    @Test
    void countsAreExact() {
        // train: 5 versions x (6 + 6 + 2) examples; test: 5 versions x 1 test pair of the evaluation task
        assertEquals(new SplitWriter.Counts(70, 15, 3), result.train());
        assertEquals(new SplitWriter.Counts(5, 5, 1), result.test());
        assertEquals(16, result.identifiers());
        assertEquals(3, result.tasks());
        assertEquals(0, result.notFullTasks());
        assertEquals(List.of("train", "eval (test)"), result.subsets());

        DatasetMetadata m = PuzzleDataset.open(out, "train").metadata();
        assertEquals(new DatasetMetadata(0, 0, 0, 12, 900, 16, 3, 70 / 15.0, 15, List.of("all")), m);
        assertEquals(new DatasetMetadata(0, 0, 0, 12, 900, 16, 1, 1.0, 5, List.of("all")), PuzzleDataset.open(out, "test").metadata());
        assertTrue(result.report().contains("train: 3 groups, 15 puzzles, 70 examples"), result.report());
    }

    @Test
    void identifiersCountFromOneInTrainOrderAndTestSharesThem() {
        PuzzleDataset tr = PuzzleDataset.open(out, "train");
        PuzzleDataset te = PuzzleDataset.open(out, "test");
        List<String> names = tr.identifierNames();
        assertEquals(16, names.size());
        assertEquals("<blank>", names.get(0));
        for (int p = 0; p < tr.puzzles(); p++) assertEquals(p + 1, tr.puzzleIdentifier(p));
        assertEquals(16, new HashSet<>(names).size(), "names are unique");
        // the evaluation task is the last group of train; its test puzzles carry the same identifiers
        int g = tr.groups() - 1;
        assertEquals(5, tr.groupEnd(g) - tr.groupStart(g));
        for (int v = 0; v < 5; v++) assertEquals(tr.puzzleIdentifier(tr.groupStart(g) + v), te.puzzleIdentifier(v));
        assertEquals("00576224", names.get(tr.puzzleIdentifier(tr.groupStart(g))));
        for (int v = 1; v < 5; v++) assertTrue(names.get(tr.puzzleIdentifier(tr.groupStart(g) + v)).startsWith("00576224|||t"));
    }

    @Test
    void splitRuleSendsOnlyTheTestSubsetsTestPairsToTest() {
        PuzzleDataset tr = PuzzleDataset.open(out, "train");
        List<String> names = tr.identifierNames();
        for (int p = 0; p < tr.puzzles(); p++) {
            String task = ArcVersion.parse(names.get(tr.puzzleIdentifier(p))).taskId();
            int examples = tr.puzzleEnd(p) - tr.puzzleStart(p);
            assertEquals(task.equals("00576224") ? 2 : 6, examples, task);
        }
    }

    @Test
    void testRowsDecodeToTheOriginalTestPairs() throws IOException {
        PuzzleDataset te = PuzzleDataset.open(out, "test");
        ArcTask original = ArcReader.read(eval, true).tasks().get(0);
        List<String> names = te.identifierNames();
        for (int p = 0; p < te.puzzles(); p++) {
            ArcAugmentation a = ArcVersion.parse(names.get(te.puzzleIdentifier(p))).augmentation();
            long row = te.puzzleStart(p);
            Grid in = ArcCanvas.crop(te.inputs(row, 1)).orElseThrow();
            Grid label = ArcCanvas.crop(te.labels(row, 1)).orElseThrow();
            assertEquals(original.test().get(0), new ArcPair(a.inverse().apply(in), a.inverse().apply(label)));
        }
        // test_puzzles.json: the test subset's tasks with their solutions, readable as a combined file
        ArcSubset puzzles = ArcReader.read(out.resolve("test_puzzles.json"), true);
        assertEquals(List.of(original), puzzles.tasks());
        Map<?, ?> raw = new com.fasterxml.jackson.databind.ObjectMapper().readValue(out.resolve("test_puzzles.json").toFile(), Map.class);
        assertEquals(Set.of("train", "test"), ((Map<?, ?>) raw.get("00576224")).keySet());
    }

    @Test
    void trainRowsAreTranslatedVersionsWithOneExamplePerPuzzleAtTheOrigin() {
        PuzzleDataset tr = PuzzleDataset.open(out, "train");
        List<String> names = tr.identifierNames();
        Map<String, ArcTask> originals = Stream.of(ArcReader.read(train, true), ArcReader.read(eval, true))
                .flatMap(s -> s.tasks().stream()).collect(Collectors.toMap(ArcTask::id, t -> t));
        int moved = 0;
        for (int p = 0; p < tr.puzzles(); p++) {
            ArcVersion v = ArcVersion.parse(names.get(tr.puzzleIdentifier(p)));
            ArcTask task = originals.get(v.taskId());
            List<ArcPair> expected = v.taskId().equals("00576224") ? task.train() : task.pairs();
            int atOrigin = 0;
            for (int k = 0; k < expected.size(); k++) {
                int[] in = tr.inputs(tr.puzzleStart(p) + k, 1), label = tr.labels(tr.puzzleStart(p) + k, 1);
                int[] offset = offset(in);
                assertArrayEquals(offset, offset(label), "input and output share the translation");
                if (offset[0] == 0 && offset[1] == 0) atOrigin++;
                else moved++;
                ArcPair decoded = new ArcPair(v.augmentation().inverse().apply(crop(in, offset)), v.augmentation().inverse().apply(crop(label, offset)));
                assertEquals(expected.get(k), decoded, v.name() + " example " + k);
            }
            assertTrue(atOrigin >= 1, v.name());
        }
        assertTrue(moved > 30, "most examples are translated: " + moved);
    }

    /** Top-left cell of the drawn grid: the first row with a colour token, and its first one. */
    private static int[] offset(int[] tokens) {
        for (int i = 0; i < tokens.length; i++) if (tokens[i] >= 2) return new int[] {i / 30, i % 30};
        throw new AssertionError("no colour token");
    }

    private static Grid crop(int[] tokens, int[] offset) {
        int[] shifted = new int[900];
        for (int r = offset[0]; r < 30; r++) for (int c = offset[1]; c < 30; c++) shifted[(r - offset[0]) * 30 + c - offset[1]] = tokens[r * 30 + c];
        return ArcCanvas.crop(shifted).orElseThrow();
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherRows(@TempDir Path dir) throws IOException {
        ArcBuild.run(List.of(train), eval, new ArcBuild.Options(4, 42, false, false), dir.resolve("again"));
        ArcBuild.run(List.of(train), eval, new ArcBuild.Options(4, 43, false, false), dir.resolve("other"));
        for (String f : List.of("train/all__inputs.npy", "train/all__labels.npy", "test/all__inputs.npy", "identifiers.json", "test_puzzles.json",
                "train/all__puzzle_indices.npy", "train/all__group_indices.npy", "train/dataset.json")) {
            assertArrayEquals(Files.readAllBytes(out.resolve(f)), Files.readAllBytes(dir.resolve("again").resolve(f)), f);
        }
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(out.resolve("train/all__inputs.npy")),
                Files.readAllBytes(dir.resolve("other/train/all__inputs.npy"))));
    }

    @Test
    void testInputKeepsItsPlaceWhenListedAmongInputs(@TempDir Path dir) {
        ArcBuild.Result r = ArcBuild.run(List.of(eval, train), eval, new ArcBuild.Options(1, 42, false, false), dir.resolve("ds"));
        assertEquals(List.of("eval (test)", "train"), r.subsets());
        assertEquals("00576224", PuzzleDataset.open(dir.resolve("ds"), "train").identifierNames().get(1));
        assertEquals(new SplitWriter.Counts(2 * 14, 6, 3), r.train());
    }

    @Test
    void noAugmentationKeepsOnlyOriginals(@TempDir Path dir) {
        ArcBuild.Result r = ArcBuild.run(List.of(train), eval, new ArcBuild.Options(0, 42, false, false), dir.resolve("ds"));
        assertEquals(new SplitWriter.Counts(14, 3, 3), r.train());
        List<String> names = PuzzleDataset.open(dir.resolve("ds"), "train").identifierNames();
        assertEquals(4, names.size());
        assertEquals(Set.of("007bbfb7", "00d62c1b"), Set.copyOf(names.subList(1, 3)), "training tasks first, in shuffled order");
        assertEquals("00576224", names.get(3));
    }

    @Test
    void refusesDuplicateTaskIdsAndExistingOutput(@TempDir Path dir) throws IOException {
        assertTrue(assertThrows(InputException.class,
                () -> ArcBuild.run(List.of(train, train), eval, new ArcBuild.Options(1, 42, false, false), dir.resolve("x"))).getMessage()
                .endsWith("is also in " + train + " (task ids must be unique within one build)"));
        Path copy = Files.createDirectories(dir.resolve("copy"));
        Files.copy(eval.resolve("00576224.json"), copy.resolve("00576224.json"));
        assertEquals(eval + ": task 00576224 is also in " + copy + " (task ids must be unique within one build)",
                assertThrows(InputException.class, () -> ArcBuild.run(List.of(copy), eval, new ArcBuild.Options(1, 42, false, false), dir.resolve("y"))).getMessage());
        assertTrue(assertThrows(InputException.class, () -> ArcBuild.run(List.of(train), eval, new ArcBuild.Options(1, 42, false, false), out))
                .getMessage().contains("output folder is not empty"));
        assertThrows(InputException.class, () -> new ArcBuild.Options(-1, 42, false, false));
        assertFalse(Files.exists(dir.resolve("y")));
    }
}
