package io.github.trm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PuzzleDatasetTest {
    /** Two groups: the first with two puzzles (2 and 1 examples), the second with one puzzle. */
    static Path writeSmall(Path out) {
        try (DatasetWriter w = DatasetWriter.create(out, false)) {
            SplitWriter.Counts counts;
            try (SplitWriter s = w.split("train", NpyType.UINT8, 4)) {
                s.addExample(new byte[] {1, 2, 3, 4}, new byte[] {1, 2, 3, 5});
                s.addExample(new byte[] {2, 2, 2, 2}, new byte[] {0, 0, 3, 3});
                s.endPuzzle(1);
                s.addExample(new byte[] {4, 3, 2, 1}, new byte[] {5, 3, 2, 1});
                s.endPuzzle(2);
                s.endGroup();
                s.addExample(new int[] {1, 1, 1, 1}, new int[] {2, 2, 2, 2});
                s.endPuzzle(3);
                s.endGroup();
                counts = s.counts();
            }
            assertEquals(new SplitWriter.Counts(4, 3, 2), counts);
            w.writeMetadata("train", new DatasetMetadata(0, 0, 0, 6, 4, 4, counts.groups(), counts.meanPuzzleExamples(), counts.puzzles(), List.of("all")));
            w.writeIdentifiers(List.of("<blank>", "a", "a|||t1", "b"));
            return w.commit();
        }
    }

    @Test
    void roundTripsTheOfficialLayout(@TempDir Path tmp) {
        Path out = writeSmall(tmp.resolve("ds"));
        PuzzleDataset d = PuzzleDataset.open(out, "train");
        assertEquals(4, d.examples());
        assertEquals(3, d.puzzles());
        assertEquals(2, d.groups());
        assertEquals(0, d.groupStart(0));
        assertEquals(2, d.groupEnd(0));
        assertEquals(2, d.puzzleStart(1));
        assertEquals(3, d.puzzleIdentifier(2));
        assertArrayEquals(new int[] {4, 3, 2, 1, 1, 1, 1, 1}, d.inputs(2, 2));
        assertArrayEquals(new int[] {0, 0, 3, 3}, d.labels(1, 1));
        assertEquals(List.of("<blank>", "a", "a|||t1", "b"), d.identifierNames());
        assertEquals(4.0 / 3, d.metadata().meanPuzzleExamples(), 1e-12);
    }

    @Test
    void failedBuildLeavesNothingAndNonEmptyTargetsAreRefused(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("ds");
        try (DatasetWriter w = DatasetWriter.create(out, false)) {
            w.split("train", NpyType.UINT8, 4).addExample(new byte[] {1, 2, 3, 4}, new byte[] {1, 2, 3, 4});
        }
        assertFalse(Files.exists(out));
        try (var s = Files.list(tmp)) {
            assertEquals(0, s.count(), "no temporary folder is left behind");
        }
        writeSmall(out);
        InputException e = assertThrows(InputException.class, () -> DatasetWriter.create(out, false));
        assertTrue(e.getMessage().contains("--force"), e.getMessage());
        writeSmall(tmp.resolve("again"));
        try (DatasetWriter w = DatasetWriter.create(out, true)) {
            w.writeIdentifiers(List.of("<blank>"));
            w.commit();
        }
        assertFalse(Files.exists(out.resolve("train")), "--force replaces the old dataset whole");
    }

    @Test
    void inconsistentFilesAreNamed(@TempDir Path tmp) throws Exception {
        Path out = writeSmall(tmp.resolve("ds"));
        Npy.writeInts(out.resolve("train/all__puzzle_indices.npy"), NpyType.INT32, new long[] {4}, new int[] {0, 2, 1, 4});
        InputException e = assertThrows(InputException.class, () -> PuzzleDataset.open(out, "train"));
        assertTrue(e.getMessage().contains("all__puzzle_indices.npy") && e.getMessage().contains("decreases"), e.getMessage());

        Path out2 = writeSmall(tmp.resolve("ds2"));
        Files.writeString(out2.resolve("train/dataset.json"), "{\"pad_id\": 0}");
        e = assertThrows(InputException.class, () -> PuzzleDataset.open(out2, "train"));
        assertTrue(e.getMessage().contains("dataset.json") && e.getMessage().contains("blank_identifier_id"), e.getMessage());

        Path out3 = writeSmall(tmp.resolve("ds3"));
        Files.delete(out3.resolve("train/all__labels.npy"));
        e = assertThrows(InputException.class, () -> PuzzleDataset.open(out3, "train"));
        assertTrue(e.getMessage().contains("all__labels.npy: missing"), e.getMessage());

        Path out4 = writeSmall(tmp.resolve("ds4"));
        Npy.writeInts(out4.resolve("train/all__inputs.npy"), NpyType.UINT8, new long[] {4, 4}, new int[] {1, 2, 3, 4, 2, 2, 2, 2, 4, 3, 2, 9, 1, 1, 1, 1});
        PuzzleDataset d = PuzzleDataset.open(out4, "train");
        e = assertThrows(InputException.class, () -> d.inputs(0, 4));
        assertTrue(e.getMessage().contains("row 2 has token 9 outside vocab_size 6"), e.getMessage());
    }
}
