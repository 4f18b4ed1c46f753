package io.github.trm4j.train;

import io.github.trm4j.data.DatasetMetadata;
import io.github.trm4j.data.DatasetWriter;
import io.github.trm4j.data.NpyType;
import io.github.trm4j.data.SplitWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/** Random datasets in the official layout for tests that need shapes, not meaning. */
public final class RandomData {
    private RandomData() {}

    /**
     * {@code examples} train and test examples, each its own puzzle and group; inputs in 1..vocab-1,
     * labels too with a few cells at the ignore id 0; puzzle ids cycle through 0..ids-1.
     */
    public static Path write(Path dir, int vocab, int seqLen, int ids, int examples, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        try (DatasetWriter w = DatasetWriter.create(dir, false)) {
            for (String split : new String[] {"train", "test"}) {
                SplitWriter.Counts counts;
                try (SplitWriter s = w.split(split, NpyType.INT32, seqLen)) {
                    for (int e = 0; e < examples; e++) {
                        int[] in = new int[seqLen];
                        int[] lab = new int[seqLen];
                        for (int t = 0; t < seqLen; t++) {
                            in[t] = 1 + r.nextInt(vocab - 1);
                            lab[t] = r.nextInt(6) == 0 ? 0 : 1 + r.nextInt(vocab - 1);
                        }
                        s.addExample(in, lab);
                        s.endPuzzle(e % ids);
                        s.endGroup();
                    }
                    counts = s.counts();
                }
                w.writeMetadata(split, new DatasetMetadata(0, 0, 0, vocab, seqLen, ids, counts.groups(),
                        counts.meanPuzzleExamples(), counts.puzzles(), List.of("all")));
            }
            return w.commit();
        }
    }
}
