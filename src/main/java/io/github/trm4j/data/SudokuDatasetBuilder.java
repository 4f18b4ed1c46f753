package io.github.trm4j.data;

import io.github.trm4j.InputException;
import io.github.trm4j.Progress;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Builds a Sudoku dataset in the official layout (spec 6.1, 6.2), streaming: memory does not grow
 * with the input or the augmentation count.
 *
 * <p>Train split: a seeded subsample of the input (kept in file order), each original followed by
 * {@code augment} transformed copies; every example is its own puzzle (identifier 0) and an
 * original with its copies is one group. Test split (when a test input is given): every puzzle,
 * unaugmented, one group each. Tokens are uint8, except that an augmented split is int64 as the
 * official builder's numpy concatenation makes it. Puzzles without an answer are solved exactly and
 * must have a unique solution.
 */
public final class SudokuDatasetBuilder {
    /**
     * @param input     training puzzles (CSV or line file)
     * @param testInput test puzzles, or null for a train-only dataset
     * @param subsample how many training puzzles to draw (0 = all)
     * @param augment   transformed copies per training puzzle
     * @param progress  show progress on stderr (builds of {@link #PROGRESS_FROM} examples or more)
     */
    public record Options(Path input, Path testInput, int subsample, int augment, long seed, boolean force, Path out, boolean progress) {
        public Options {
            if (subsample < 0) throw new InputException("--subsample " + subsample + ": must be 0 (all) or more");
            if (augment < 0) throw new InputException("--augment " + augment + ": must be 0 or more");
        }

        public Options(Path input, Path testInput, int subsample, int augment, long seed, boolean force, Path out) {
            this(input, testInput, subsample, augment, seed, force, out, true);
        }
    }

    /** Counts of one written split. */
    public record Split(String name, long examples, int puzzles, int groups, NpyType tokenType) {}

    /** What was written: the train split and, if a test input was given, the test split. */
    public record Result(Path out, Split train, Split test, double seconds) {
        public List<Split> splits() {
            return test == null ? List.of(train) : List.of(train, test);
        }
    }

    /** Builds show progress on stderr from this many examples on. */
    static final long PROGRESS_FROM = 50_000;

    private final SudokuSolver solver = new SudokuSolver();
    private final Options options;
    private Progress progress = Progress.off();

    private SudokuDatasetBuilder(Options options) {
        this.options = options;
    }

    public static Result build(Options options) {
        return new SudokuDatasetBuilder(options).run();
    }

    private Result run() {
        long start = System.nanoTime();
        SplittableRandom root = new SplittableRandom(options.seed());
        SplittableRandom selectRng = root.split();
        SplittableRandom augmentRng = root.split();

        // First passes: count (and fully validate) the inputs before anything is written.
        int trainCount = count(options.input());
        int testCount = options.testInput() == null ? 0 : count(options.testInput());
        BitSet selected = select(trainCount, options.subsample(), selectRng);
        long total = (long) selected.cardinality() * (1 + options.augment()) + testCount;

        Split train, test = null;
        try (DatasetWriter writer = DatasetWriter.create(options.out(), options.force());
             Progress bar = Progress.start("sudoku build", total, "examples", options.progress() && total >= PROGRESS_FROM)) {
            progress = bar;
            train = writeSplit(writer, "train", options.input(), selected, options.augment(), augmentRng);
            if (options.testInput() != null) test = writeSplit(writer, "test", options.testInput(), null, 0, augmentRng);
            writer.writeIdentifiers(List.of("<blank>"));
            writer.commit();
        }
        return new Result(options.out(), train, test, (System.nanoTime() - start) / 1e9);
    }

    /** Streams one input into split {@code name}; {@code selected} null means every puzzle. */
    private Split writeSplit(DatasetWriter writer, String name, Path input, BitSet selected, int augment, SplittableRandom rng) {
        // numpy: uint8 originals concatenated with int64 digit-mapped copies give int64
        NpyType tokenType = augment > 0 ? NpyType.INT64 : NpyType.UINT8;
        SplitWriter.Counts counts;
        try (SplitWriter split = writer.split(name, tokenType, SudokuEncoding.SEQ_LEN);
             SudokuReader reader = SudokuReader.open(input)) {
            int index = 0;
            for (SudokuPuzzle p = reader.next(); p != null; p = reader.next(), index++) {
                if (selected != null && !selected.get(index)) continue;
                SudokuPuzzle original = withAnswer(p, reader);
                byte[] question = original.question().cells(), answer = original.answer().cells();
                addExample(split, question, answer);
                for (int k = 0; k < augment; k++) {
                    SudokuTransform t = SudokuTransform.random(rng);
                    addExample(split, t.applyCells(question), t.applyCells(answer));
                }
                split.endGroup();
            }
            split.close();
            counts = split.counts();
        }
        // total_puzzles is the group count, as the official builder writes it (spec 9.18)
        writer.writeMetadata(name, new DatasetMetadata(0, 0, 0, SudokuEncoding.VOCAB_SIZE, SudokuEncoding.SEQ_LEN, 1,
                counts.groups(), 1, counts.groups(), List.of("all")));
        return new Split(name, counts.examples(), counts.puzzles(), counts.groups(), tokenType);
    }

    /** One example, its own puzzle: (81,) question and answer values. */
    private void addExample(SplitWriter split, byte[] question, byte[] answer) {
        split.addExample(SudokuEncoding.encode(question), SudokuEncoding.encode(answer));
        split.endPuzzle(0);
        progress.stepBy(1);
    }

    /** The puzzle with its answer; a line-file puzzle is solved, and must be unique. */
    private SudokuPuzzle withAnswer(SudokuPuzzle p, SudokuReader reader) {
        if (p.hasAnswer()) return p;
        SudokuSolver.Result r = solver.solve(p.question());
        return switch (r.status()) {
            case UNIQUE -> new SudokuPuzzle(p.question(), r.solution());
            case NONE -> throw new InputException(reader.file() + ":" + reader.lineNumber() + ": puzzle has no solution");
            case MULTIPLE -> throw new InputException(reader.file() + ":" + reader.lineNumber() + ": puzzle has more than one solution, so no label");
        };
    }

    private static int count(Path input) {
        int n = 0;
        try (SudokuReader reader = SudokuReader.open(input)) {
            while (reader.next() != null) n++;
        }
        if (n == 0) throw new InputException(input + ": no puzzles");
        return n;
    }

    /** k of n indices drawn uniformly without replacement (Floyd's algorithm); all n when k is 0 or at least n. */
    static BitSet select(int n, int k, SplittableRandom rng) {
        BitSet chosen = new BitSet(n);
        if (k == 0 || k >= n) {
            chosen.set(0, n);
            return chosen;
        }
        for (int j = n - k; j < n; j++) {
            int t = rng.nextInt(j + 1);
            chosen.set(chosen.get(t) ? j : t);
        }
        return chosen;
    }
}
