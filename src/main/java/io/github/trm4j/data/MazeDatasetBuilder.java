package io.github.trm4j.data;

import io.github.trm4j.InputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Builds a Maze-Hard dataset in the official layout (spec 6.1, 6.3): uint8 tokens, seq_len =
 * side², vocab 6, every puzzle identifier 0. Train: one group per maze, holding the maze alone or,
 * with {@code augment}, its 8 dihedral versions as 8 one-example puzzles. Test: one unaugmented
 * puzzle per group. {@code total_puzzles} is written as the group count, as the official builder
 * does (§9.18).
 */
public final class MazeDatasetBuilder {
    private MazeDatasetBuilder() {}

    /**
     * Build inputs. {@code testInput} may be null (train only); {@code subsample} &gt; 0 keeps that
     * many training mazes drawn with {@code seed}, in file order (0 = all).
     */
    public record Options(Path input, Path testInput, boolean augment, int subsample, long seed, Path out, boolean force) {
        public Options {
            if (subsample < 0) throw new InputException("--subsample must be >= 0, got " + subsample);
        }
    }

    /** Counts of the written splits ({@code test} null when there was no test input). */
    public record Summary(int side, SplitWriter.Counts train, SplitWriter.Counts test, double seconds) {}

    public static Summary build(Options o) {
        long t0 = System.nanoTime();
        List<MazeCsv.Entry> train = subsample(readAnswered(o.input()), o.subsample(), o.seed());
        int side = train.get(0).maze().side();
        checkSide(o.input(), train, side);
        List<MazeCsv.Entry> test = o.testInput() == null ? null : readAnswered(o.testInput());
        if (test != null) checkSide(o.testInput(), test, side);
        try (DatasetWriter w = DatasetWriter.create(o.out(), o.force())) {
            SplitWriter.Counts trainCounts = writeSplit(w, "train", train, o.augment() ? MazeAugmentation.ALL : List.of(identity()), side);
            SplitWriter.Counts testCounts = test == null ? null : writeSplit(w, "test", test, List.of(identity()), side);
            w.writeIdentifiers(List.of("<blank>"));
            w.commit();
            return new Summary(side, trainCounts, testCounts, (System.nanoTime() - t0) / 1e9);
        }
    }

    private static SplitWriter.Counts writeSplit(DatasetWriter w, String name, List<MazeCsv.Entry> mazes, List<MazeAugmentation> versions, int side) {
        SplitWriter.Counts counts;
        try (SplitWriter s = w.split(name, NpyType.UINT8, side * side)) {
            for (MazeCsv.Entry e : mazes) {
                for (MazeAugmentation a : versions) {
                    Maze m = a.apply(e.maze());
                    s.addExample(m.question().cells(), m.answer().orElseThrow().cells());
                    s.endPuzzle(0);
                }
                s.endGroup();
            }
            counts = s.counts();
        }
        w.writeMetadata(name, new DatasetMetadata(0, 0, 0, MazeCell.VOCAB_SIZE, side * side, 1,
                counts.groups(), counts.meanPuzzleExamples(), counts.groups(), List.of("all")));
        return counts;
    }

    private static MazeAugmentation identity() {
        return new MazeAugmentation(Dihedral.IDENTITY);
    }

    private static List<MazeCsv.Entry> readAnswered(Path file) {
        List<MazeCsv.Entry> mazes = MazeCsv.read(file);
        if (mazes.isEmpty()) throw new InputException(file + ": no mazes after the header");
        for (MazeCsv.Entry e : mazes) {
            if (e.maze().answer().isEmpty())
                throw new InputException(file + ":" + e.line() + ": field 'answer': empty, but a dataset needs every maze's answer");
        }
        return mazes;
    }

    /** All mazes of one dataset share seq_len = side². */
    private static void checkSide(Path file, List<MazeCsv.Entry> mazes, int side) {
        for (MazeCsv.Entry e : mazes) {
            if (e.maze().side() != side)
                throw new InputException(file + ":" + e.line() + ": field 'question': maze is " + e.maze().side() + "x" + e.maze().side()
                        + " but the dataset's mazes are " + side + "x" + side + " (seq_len " + side * side + ")");
        }
    }

    private static List<MazeCsv.Entry> subsample(List<MazeCsv.Entry> all, int n, long seed) {
        if (n == 0 || n >= all.size()) return all;
        // Partial Fisher-Yates on indices, then file order: n distinct mazes, reproducible per seed.
        int[] idx = new int[all.size()];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        Random rng = new Random(seed);
        for (int i = 0; i < n; i++) {
            int j = i + rng.nextInt(idx.length - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int[] chosen = Arrays.copyOf(idx, n);
        Arrays.sort(chosen);
        List<MazeCsv.Entry> out = new ArrayList<>(n);
        for (int i : chosen) out.add(all.get(i));
        return out;
    }
}
