package io.github.trm4j.data;

import io.github.trm4j.InputException;
import io.github.trm4j.Progress;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Builds an ARC dataset in the official layout (spec 6.1, 6.4).
 *
 * <p>Subsets are processed in order, each one's tasks in a seeded shuffled order. Every task
 * becomes one group whose puzzles are its versions (original + augmentations). Demonstration pairs
 * always go to the train split; test pairs go to the test split for the test subset and to the
 * train split otherwise. Train examples get translation augmentation (one example per puzzle stays
 * at (0,0)); test examples are drawn at (0,0). Identifiers count from 1 in train order; a test
 * puzzle shares the identifier of the same version in train.
 *
 * <p>Each task draws from its own random stream, seeded from the build seed in task order, so the
 * result does not depend on the thread count. Tasks are augmented and encoded in parallel, a
 * bounded window ahead of the writer, which streams rows to disk in task order: memory holds a few
 * tasks' rows, not the dataset.
 */
public final class ArcBuild {
    /** Build settings; the defaults of the official build are 1000 augmentations and seed 42. */
    public record Options(int augmentations, long seed, boolean force, boolean progress) {
        public Options {
            if (augmentations < 0 || augmentations > 1_000_000)
                throw new InputException("--augment must be in 0..1000000, got " + augmentations);
        }
    }

    /** Statistics of a finished build. */
    public record Result(Path out, List<String> subsets, SplitWriter.Counts train, SplitWriter.Counts test,
            int identifiers, int tasks, int notFullTasks, int augmentations, double seconds) {
        /** The report printed at the end of a build. */
        public String report() {
            return String.format(Locale.ROOT,
                    "ARC dataset %s: %d tasks from %s, %d augmentations per task%n"
                            + "  train: %,d groups, %,d puzzles, %,d examples, %.7f examples/puzzle%n"
                            + "  test:  %,d groups, %,d puzzles, %,d examples, %.7f examples/puzzle%n"
                            + "  identifiers: %,d (with <blank>); not-full tasks (fewer than %d versions): %d%n"
                            + "  %.1f s",
                    out, tasks, String.join(", ", subsets), augmentations,
                    train.groups(), train.puzzles(), train.examples(), train.meanPuzzleExamples(),
                    test.groups(), test.puzzles(), test.examples(), test.meanPuzzleExamples(),
                    identifiers, augmentations + 1, notFullTasks, seconds);
        }
    }

    /** One task to process: where its test pairs go and the seed of its random stream. */
    private record Job(ArcTask task, boolean testSubset, long seed) {}

    /** A task's encoded rows, ready to write. {@code test} is null outside the test subset. */
    private record Encoded(ArcTask task, List<ArcAugmentation> augmentations, Rows train, Rows test) {}

    private ArcBuild() {}

    /**
     * Reads the inputs (task folders or Kaggle challenges files) and builds. {@code testInput} is the
     * test subset; it keeps its place if it is also among {@code inputs}, otherwise it comes last.
     */
    public static Result run(List<Path> inputs, Path testInput, Options options, Path out) {
        List<Path> sources = new ArrayList<>(inputs);
        int test = indexOf(sources, testInput);
        if (test < 0) {
            sources.add(testInput);
            test = sources.size() - 1;
        }
        List<ArcSubset> subsets = new ArrayList<>();
        for (Path p : sources) subsets.add(ArcReader.read(p, true));
        return build(subsets, test, options, out);
    }

    /** Builds from subsets already read; {@code testSubset} indexes {@code subsets}. */
    public static Result build(List<ArcSubset> subsets, int testSubset, Options options, Path out) {
        long start = System.nanoTime();
        List<Job> jobs = plan(subsets, testSubset, options.seed());
        try (DatasetWriter writer = DatasetWriter.create(out, options.force())) {
            Written w = write(jobs, options, writer);
            writer.writeMetadata("train", metadata(w.train(), w.names().size()));
            writer.writeMetadata("test", metadata(w.test(), w.names().size()));
            writer.writeIdentifiers(w.names());
            writer.writeJson("test_puzzles.json", w.testPuzzles());
            writer.commit();
            List<String> subsetNames = new ArrayList<>();
            for (int s = 0; s < subsets.size(); s++) subsetNames.add(subsets.get(s).name() + (s == testSubset ? " (test)" : ""));
            return new Result(out, subsetNames, w.train(), w.test(), w.names().size(), jobs.size(), w.notFull(),
                    options.augmentations(), (System.nanoTime() - start) / 1e9);
        }
    }

    /** What {@link #write} produced besides the rows. */
    private record Written(List<String> names, Map<String, TestPuzzleJson> testPuzzles, SplitWriter.Counts train, SplitWriter.Counts test,
            int notFull) {}

    /**
     * Augments and encodes the tasks on all cores, at most a small window ahead, and streams their
     * rows into both splits in task order. Version v of a task gets identifier (first id of the task) + v.
     */
    private static Written write(List<Job> jobs, Options options, DatasetWriter writer) {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "arc-build");
            t.setDaemon(true);
            return t;
        });
        ThreadLocal<ArcAugmenter> augmenters = ThreadLocal.withInitial(ArcAugmenter::new);
        List<String> names = new ArrayList<>(List.of("<blank>"));
        Map<String, TestPuzzleJson> testPuzzles = new LinkedHashMap<>();
        int notFull = 0;
        try (Progress bar = Progress.start("ARC build", jobs.size(), "tasks", options.progress());
                SplitWriter train = writer.split("train", NpyType.UINT8, ArcCanvas.SEQ_LEN);
                SplitWriter test = writer.split("test", NpyType.UINT8, ArcCanvas.SEQ_LEN)) {
            ArrayDeque<Future<Encoded>> window = new ArrayDeque<>();
            int next = 0;
            for (int done = 0; done < jobs.size(); done++) {
                while (next < jobs.size() && window.size() < 2 * threads + 2) {
                    Job job = jobs.get(next++);
                    window.add(pool.submit(() -> encode(job, options.augmentations(), augmenters.get())));
                }
                Encoded e = await(window.poll());
                int firstId = names.size();
                for (ArcAugmentation a : e.augmentations()) names.add(new ArcVersion(e.task().id(), a).name());
                e.train().writeGroup(train, firstId);
                if (e.test() != null) {
                    e.test().writeGroup(test, firstId);
                    testPuzzles.put(e.task().id(), TestPuzzleJson.of(e.task()));
                }
                if (e.augmentations().size() < options.augmentations() + 1) notFull++;
                bar.setExtraMessage(String.format(Locale.ROOT, "%,d examples", train.counts().examples() + test.counts().examples()));
                bar.stepBy(1);
            }
            return new Written(names, testPuzzles, train.counts(), test.counts(), notFull);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Tasks in processing order with their seeds: subsets in order, each shuffled. */
    private static List<Job> plan(List<ArcSubset> subsets, int testSubset, long seed) {
        if (testSubset < 0 || testSubset >= subsets.size()) throw new IllegalArgumentException("test subset " + testSubset + " of " + subsets.size());
        Map<String, Path> seen = new HashMap<>();
        for (ArcSubset s : subsets) {
            for (ArcTask t : s.tasks()) {
                Path other = seen.putIfAbsent(t.id(), s.source());
                if (other != null)
                    throw new InputException(s.source() + ": task " + t.id() + " is also in " + other + " (task ids must be unique within one build)");
            }
        }
        SplittableRandom master = new SplittableRandom(seed);
        List<Job> jobs = new ArrayList<>();
        for (int s = 0; s < subsets.size(); s++) {
            List<ArcTask> tasks = new ArrayList<>(subsets.get(s).tasks());
            for (int i = tasks.size() - 1; i > 0; i--) Collections.swap(tasks, i, master.nextInt(i + 1));
            for (ArcTask t : tasks) jobs.add(new Job(t, s == testSubset, master.nextLong()));
        }
        return jobs;
    }

    /** Augments one task and encodes its rows; runs on a worker thread. */
    private static Encoded encode(Job job, int augmentations, ArcAugmenter augmenter) {
        SplittableRandom rng = new SplittableRandom(job.seed());
        List<ArcAugmenter.Version> versions = augmenter.versions(job.task(), augmentations, rng);
        Rows train = new Rows();
        Rows test = job.testSubset() ? new Rows() : null;
        List<ArcAugmentation> augs = new ArrayList<>(versions.size());
        for (ArcAugmenter.Version v : versions) {
            augs.add(v.augmentation());
            train.addPuzzle(job.testSubset() ? v.task().train() : v.task().pairs(), rng);
            if (test != null) test.addPuzzle(v.task().test(), null);
        }
        return new Encoded(job.task(), augs, train, test);
    }

    private static Encoded await(Future<Encoded> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("ARC build interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }

    private static DatasetMetadata metadata(SplitWriter.Counts c, int identifiers) {
        return new DatasetMetadata(ArcCanvas.PAD, ArcCanvas.PAD, 0, ArcCanvas.VOCAB_SIZE, ArcCanvas.SEQ_LEN, identifiers,
                c.groups(), c.meanPuzzleExamples(), c.puzzles(), List.of("all"));
    }

    private static int indexOf(List<Path> paths, Path p) {
        Path key = p.toAbsolutePath().normalize();
        for (int i = 0; i < paths.size(); i++) if (paths.get(i).toAbsolutePath().normalize().equals(key)) return i;
        return -1;
    }

    /**
     * The encoded rows of one task in one split: a puzzle per version, in version order. Labels are
     * the output canvases; their PAD tokens (0) are the ignored label id.
     */
    private static final class Rows {
        private final List<byte[]> inputs = new ArrayList<>();
        private final List<byte[]> labels = new ArrayList<>();
        private final List<Integer> puzzleSizes = new ArrayList<>();

        /** Adds a puzzle; with {@code translate} all examples but one random one move to a random offset. */
        void addPuzzle(List<ArcPair> pairs, SplittableRandom translate) {
            int stay = translate == null ? -1 : translate.nextInt(pairs.size());
            for (int i = 0; i < pairs.size(); i++) {
                ArcPair p = pairs.get(i);
                int r0 = 0, c0 = 0;
                if (translate != null && i != stay) {
                    r0 = translate.nextInt(ArcCanvas.SIDE - Math.max(p.input().height(), p.output().height()) + 1);
                    c0 = translate.nextInt(ArcCanvas.SIDE - Math.max(p.input().width(), p.output().width()) + 1);
                }
                inputs.add(ArcCanvas.encode(p.input(), r0, c0));
                labels.add(ArcCanvas.encode(p.output(), r0, c0));
            }
            puzzleSizes.add(pairs.size());
        }

        /** Writes the puzzles as one group; puzzle v gets identifier {@code firstId + v}. */
        void writeGroup(SplitWriter split, int firstId) {
            int row = 0;
            for (int v = 0; v < puzzleSizes.size(); v++) {
                for (int k = 0; k < puzzleSizes.get(v); k++, row++) split.addExample(inputs.get(row), labels.get(row));
                split.endPuzzle(firstId + v);
            }
            split.endGroup();
        }
    }

    /** A task in {@code test_puzzles.json}: the Kaggle challenge layout with test outputs inline. */
    record TestPuzzleJson(List<PairJson> train, List<PairJson> test) {
        record PairJson(int[][] input, int[][] output) {}

        static TestPuzzleJson of(ArcTask t) {
            return new TestPuzzleJson(pairs(t.train()), pairs(t.test()));
        }

        private static List<PairJson> pairs(List<ArcPair> pairs) {
            return pairs.stream().map(p -> new PairJson(p.input().toRows(), p.output().toRows())).toList();
        }
    }
}
