package io.github.trm4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.data.DatasetMetadata;
import io.github.trm4j.data.DatasetWriter;
import io.github.trm4j.data.NpyType;
import io.github.trm4j.data.PuzzleDataset;
import io.github.trm4j.data.SplitWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingSamplerTest {
    /**
     * {@code groups} groups of {@code versions} puzzles with {@code examples} examples each, S = 2.
     * Example tokens encode (group, version, example); label cell 1 is always the ignore id 0.
     */
    static PuzzleDataset dataset(Path dir, int groups, int versions, int examples) {
        try (DatasetWriter w = DatasetWriter.create(dir, false)) {
            SplitWriter.Counts counts;
            int id = 1;
            try (SplitWriter s = w.split("train", NpyType.INT32, 2)) {
                for (int g = 0; g < groups; g++) {
                    for (int v = 0; v < versions; v++) {
                        for (int e = 0; e < examples; e++) s.addExample(new int[] {g + 1, v * 100 + e + 1}, new int[] {g + 1, 0});
                        s.endPuzzle(id++);
                    }
                    s.endGroup();
                }
                counts = s.counts();
            }
            w.writeMetadata("train", new DatasetMetadata(0, 0, 0, 1000, 2, id, counts.groups(), counts.meanPuzzleExamples(), counts.puzzles(), List.of("all")));
            return PuzzleDataset.open(w.commit(), "train");
        }
    }

    @Test
    void everyGroupOncePerEpochWithOneVersionAndItsExamples(@TempDir Path tmp) {
        PuzzleDataset d = dataset(tmp.resolve("d"), 6, 3, 2); // 12 examples per epoch
        TrainingSampler s = TrainingSampler.start(d, 4, 7);
        Map<Integer, Set<Integer>> versionsSeen = new HashMap<>();
        List<Integer> groupOrder = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            HostBatch batch = s.next();
            assertEquals(4, batch.size());
            for (int r = 0; r < 4; r++) {
                int g = batch.inputs()[2 * r] - 1;
                int version = (batch.inputs()[2 * r + 1] - 1) / 100;
                assertEquals(g * 3 + version + 1, batch.puzzleIds()[r], "the puzzle id travels with its example");
                assertEquals(HostBatch.IGNORE, batch.labels()[2 * r + 1], "label 0 = ignore_label_id becomes -100");
                assertEquals(g + 1, batch.labels()[2 * r]);
                versionsSeen.computeIfAbsent(g, k -> new HashSet<>()).add(version);
                if (groupOrder.isEmpty() || groupOrder.get(groupOrder.size() - 1) != g) groupOrder.add(g);
            }
        }
        assertEquals(6, groupOrder.size(), "each group once in the first epoch, its two examples together");
        assertEquals(6, new HashSet<>(groupOrder).size());
        versionsSeen.values().forEach(v -> assertEquals(1, v.size(), "one augmented version per group per epoch"));
        assertEquals(1.0, s.epochsDone(), 1e-12);
    }

    @Test
    void seededStreamsRepeatAndResumeFromAPosition(@TempDir Path tmp) {
        PuzzleDataset d = dataset(tmp.resolve("d"), 5, 4, 3);
        TrainingSampler a = TrainingSampler.start(d, 4, 11);
        List<HostBatch> first = new ArrayList<>();
        TrainingSampler.Position mid = null;
        for (int i = 0; i < 12; i++) {
            if (i == 5) mid = a.position();
            first.add(a.next());
        }
        TrainingSampler b = TrainingSampler.start(d, 4, 11);
        for (int i = 0; i < 12; i++) assertArrayEquals(first.get(i).inputs(), b.next().inputs());
        TrainingSampler c = TrainingSampler.resume(d, 4, 11, mid);
        for (int i = 5; i < 12; i++) assertArrayEquals(first.get(i).inputs(), c.next().inputs(), "batch " + i + " after resume");
        assertNotEquals(List.of(first.get(0).inputs()), List.of(TrainingSampler.start(d, 4, 12).next().inputs()));
    }

    @Test
    void aPuzzleLargerThanTheRoomLeftIsCutOff(@TempDir Path tmp) {
        PuzzleDataset d = dataset(tmp.resolve("d"), 3, 1, 3); // 9 examples per epoch, batch 4
        TrainingSampler s = TrainingSampler.start(d, 4, 1);
        HostBatch b = s.next();
        int g0 = b.inputs()[0];
        assertEquals(g0, b.inputs()[2]);
        assertEquals(g0, b.inputs()[4]);
        int g1 = b.inputs()[6];
        assertTrue(g1 != g0);
        HostBatch b2 = s.next();
        assertTrue(b2.inputs()[0] != g1, "the rest of a cut-off puzzle is dropped, not carried over");
    }
}
