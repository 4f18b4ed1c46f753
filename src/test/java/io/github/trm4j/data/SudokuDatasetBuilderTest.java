package io.github.trm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SudokuDatasetBuilderTest {
    /** The first {@code n} rows of the magictour CSV as a new CSV. */
    static Path smallCsv(Path dir, String name, int from, int n) throws Exception {
        List<String> lines = Files.readAllLines(SudokuTestData.file("magictour_top1465_solved.csv"));
        List<String> out = new ArrayList<>(List.of(lines.get(0)));
        out.addAll(lines.subList(1 + from, 1 + from + n));
        return Files.write(dir.resolve(name), out);
    }

    @Test
    void augmentedTrainAndPlainTestSplitsInTheOfficialLayout(@TempDir Path tmp) throws Exception {
        Path train = smallCsv(tmp, "train.csv", 0, 5);
        Path test = smallCsv(tmp, "test.csv", 100, 4);
        Path out = tmp.resolve("ds");
        SudokuDatasetBuilder.Result r = SudokuDatasetBuilder.build(new SudokuDatasetBuilder.Options(train, test, 0, 3, 1, false, out));
        assertEquals(new SudokuDatasetBuilder.Split("train", 20, 20, 5, NpyType.INT64), r.train());
        assertEquals(new SudokuDatasetBuilder.Split("test", 4, 4, 4, NpyType.UINT8), r.test());

        assertEquals(NpyType.INT64, Npy.header(out.resolve("train/all__inputs.npy")).type());
        assertEquals(NpyType.INT64, Npy.header(out.resolve("train/all__labels.npy")).type());
        assertEquals(NpyType.UINT8, Npy.header(out.resolve("test/all__inputs.npy")).type());
        assertEquals(NpyType.INT32, Npy.header(out.resolve("train/all__puzzle_identifiers.npy")).type());
        assertEquals("[\"<blank>\"]", Files.readString(out.resolve("identifiers.json")).strip());

        PuzzleDataset d = PuzzleDataset.open(out, "train");
        DatasetMetadata m = d.metadata();
        assertEquals(new DatasetMetadata(0, 0, 0, 11, 81, 1, 5, 1, 5, List.of("all")), m, "total_puzzles = group count (spec 9.18)");
        assertArrayEquals(new int[] {0, 4, 8, 12, 16, 20}, Npy.readInts(out.resolve("train/all__group_indices.npy")));
        int[] pi = Npy.readInts(out.resolve("train/all__puzzle_indices.npy"));
        for (int i = 0; i <= 20; i++) assertEquals(i, pi[i]);
        assertTrue(Arrays.stream(Npy.readInts(out.resolve("train/all__puzzle_identifiers.npy"))).allMatch(v -> v == 0));

        List<SudokuPuzzle> originals = SudokuReader.readAll(train);
        for (int g = 0; g < 5; g++) {
            SudokuPuzzle original = originals.get(g);
            List<Grid> questions = new ArrayList<>();
            for (int e = 4 * g; e < 4 * g + 4; e++) {
                SudokuPuzzle p = new SudokuPuzzle(SudokuEncoding.decode(d.inputs(e, 1)), SudokuEncoding.decode(d.labels(e, 1)));
                assertTrue(p.answerProblem().isEmpty(), "every example is a valid, consistent puzzle");
                assertEquals(original.givens(), p.givens());
                questions.add(p.question());
                if (e == 4 * g) assertEquals(original, p, "each group starts with the original");
            }
            assertEquals(4, questions.stream().distinct().count(), "copies differ");
        }
        PuzzleDataset t = PuzzleDataset.open(out, "test");
        assertEquals(4, t.groups());
        assertEquals(SudokuReader.readAll(test).get(3).question(), SudokuEncoding.decode(t.inputs(3, 1)));
    }

    @Test
    void plainTrainSplitIsUint8AndSubsampleIsSeeded(@TempDir Path tmp) throws Exception {
        Path train = smallCsv(tmp, "train.csv", 0, 30);
        SudokuDatasetBuilder.Result r = SudokuDatasetBuilder.build(new SudokuDatasetBuilder.Options(train, null, 10, 0, 7, false, tmp.resolve("a")));
        assertNull(r.test());
        assertEquals(new SudokuDatasetBuilder.Split("train", 10, 10, 10, NpyType.UINT8), r.train());
        assertFalse(Files.exists(tmp.resolve("a/test")), "no test input, no test split");
        SudokuDatasetBuilder.build(new SudokuDatasetBuilder.Options(train, null, 10, 0, 7, false, tmp.resolve("b")));
        SudokuDatasetBuilder.build(new SudokuDatasetBuilder.Options(train, null, 10, 0, 8, false, tmp.resolve("c")));
        byte[] a = Files.readAllBytes(tmp.resolve("a/train/all__inputs.npy"));
        assertArrayEquals(a, Files.readAllBytes(tmp.resolve("b/train/all__inputs.npy")));
        assertFalse(Arrays.equals(a, Files.readAllBytes(tmp.resolve("c/train/all__inputs.npy"))));
    }

    @Test
    void selectDrawsDistinctIndicesUniformly() {
        SplittableRandom rng = new SplittableRandom(1);
        int[] hits = new int[10];
        for (int rep = 0; rep < 5000; rep++) {
            BitSet s = SudokuDatasetBuilder.select(10, 3, rng);
            assertEquals(3, s.cardinality());
            s.stream().forEach(i -> hits[i]++);
        }
        for (int h : hits) assertTrue(h > 1300 && h < 1700, Arrays.toString(hits));
        assertEquals(10, SudokuDatasetBuilder.select(10, 0, rng).cardinality());
        assertEquals(10, SudokuDatasetBuilder.select(10, 50, rng).cardinality());
    }

    @Test
    void lineFilesAreLabelledByTheSolver(@TempDir Path tmp) throws Exception {
        List<String> lines = Files.readAllLines(SudokuTestData.file("puzzles3_magictour_top1465.txt"));
        Path txt = Files.write(tmp.resolve("p.txt"), lines.subList(0, 8));
        SudokuDatasetBuilder.Result r = SudokuDatasetBuilder.build(new SudokuDatasetBuilder.Options(txt, null, 0, 1, 1, false, tmp.resolve("ds")));
        assertEquals(6, r.train().groups(), "2 comment lines, 6 puzzles");
        List<SudokuPuzzle> solved = SudokuReader.readAll(SudokuTestData.file("magictour_top1465_solved.csv"));
        PuzzleDataset d = PuzzleDataset.open(tmp.resolve("ds"), "train");
        for (int g = 0; g < r.train().groups(); g++) assertEquals(solved.get(g).answer(), SudokuEncoding.decode(d.labels(2L * g, 1)));
    }

    @Test
    void badInputsLeaveNothingBehind(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("ds");
        Path multi = Files.writeString(tmp.resolve("multi.txt"), "# one good, one with many solutions\n" + SudokuTestData.QUESTION + "\n" + ".".repeat(81) + "\n");
        InputException e = assertThrows(InputException.class, () -> SudokuDatasetBuilder.build(new SudokuDatasetBuilder.Options(multi, null, 0, 2, 1, false, out)));
        assertEquals(multi + ":3: puzzle has more than one solution, so no label", e.getMessage());
        Path broken = Files.writeString(tmp.resolve("broken.csv"), "source,question,answer,rating\ns," + SudokuTestData.QUESTION + ",12345\n");
        Path good = smallCsv(tmp, "good.csv", 0, 2);
        e = assertThrows(InputException.class, () -> SudokuDatasetBuilder.build(new SudokuDatasetBuilder.Options(good, broken, 0, 0, 1, false, out)));
        assertTrue(e.getMessage().startsWith(broken + ":2:"), e.getMessage());
        try (var files = Files.list(tmp)) {
            assertEquals(List.of("broken.csv", "good.csv", "multi.txt"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep"), "x");
        e = assertThrows(InputException.class, () -> SudokuDatasetBuilder.build(new SudokuDatasetBuilder.Options(good, null, 0, 0, 1, false, out)));
        assertTrue(e.getMessage().contains("--force"));
        e = assertThrows(InputException.class, () -> SudokuDatasetBuilder.build(new SudokuDatasetBuilder.Options(good, null, 0, 0, 1, true, out)));
        assertTrue(e.getMessage().contains("--force replaces only a folder trm wrote"), e.getMessage());
        assertEquals("x", Files.readString(out.resolve("keep")), "--force never deletes the user's files");
        Files.delete(out.resolve("keep"));
        SudokuDatasetBuilder.build(new SudokuDatasetBuilder.Options(good, null, 0, 0, 1, false, out));
        SudokuDatasetBuilder.build(new SudokuDatasetBuilder.Options(good, null, 0, 0, 1, true, out));
        assertThrows(InputException.class, () -> new SudokuDatasetBuilder.Options(good, null, -1, 0, 1, false, out));
        assertNotEquals(null, PuzzleDataset.open(out, "train"));
    }
}
