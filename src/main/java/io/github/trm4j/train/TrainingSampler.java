package io.github.trm4j.train;

import io.github.trm4j.InputException;
import io.github.trm4j.data.PuzzleDataset;

/**
 * The training data stream (spec 4.3): each epoch walks a seeded random permutation of the groups;
 * for every group it picks one puzzle (augmented version) uniformly and appends that puzzle's
 * examples in random order, cut off where the batch is full. Only full batches are produced. The
 * official trainer restarts this stream every {@code eval_interval} epochs; here it runs on from one
 * epoch into the next, so nothing but the cut-off examples is dropped.
 *
 * <p>The whole state is {@link Position}: the epoch, the cursor in its permutation and the state of
 * the puzzle/example generator. The permutation of an epoch depends only on (seed, epoch), so a run
 * resumed from a saved position sees the same batches as one that never stopped.
 */
public final class TrainingSampler {
    /** Where the stream is: saved with every checkpoint. */
    public record Position(long epoch, int cursor, long rngState) {}

    private final PuzzleDataset data;
    private final int batchSize;
    private final long seed;
    private final int ignoreLabel;
    private long epoch;
    private int cursor;
    private int[] order;
    private final SplitMix rng;

    private TrainingSampler(PuzzleDataset data, int batchSize, long seed, Position at) {
        this.data = data;
        this.batchSize = batchSize;
        this.seed = seed;
        Integer ignore = data.metadata().ignoreLabelId();
        this.ignoreLabel = ignore == null ? Integer.MIN_VALUE : ignore;
        this.epoch = at.epoch();
        this.cursor = at.cursor();
        this.rng = new SplitMix(at.rngState());
        this.order = permutation(epoch);
        if (cursor < 0 || cursor > order.length)
            throw new InputException("sampler position: cursor " + cursor + " is outside the " + order.length + " groups of " + data.dir());
    }

    /** A stream at the start of epoch 0. */
    public static TrainingSampler start(PuzzleDataset data, int batchSize, long seed) {
        return new TrainingSampler(data, batchSize, seed, new Position(0, 0, SplitMix.derive(seed, -1).nextLong()));
    }

    /** A stream continuing from a saved position. */
    public static TrainingSampler resume(PuzzleDataset data, int batchSize, long seed, Position at) {
        return new TrainingSampler(data, batchSize, seed, at);
    }

    public Position position() {
        return new Position(epoch, cursor, rng.state());
    }

    /** Epochs completed so far, fractional. */
    public double epochsDone() {
        return epoch + (double) cursor / order.length;
    }

    private int[] permutation(long e) {
        int[] p = new int[data.groups()];
        for (int i = 0; i < p.length; i++) p[i] = i;
        SplitMix.derive(seed, e).shuffle(p);
        return p;
    }

    /** The next full batch; labels equal to the dataset's ignore_label_id become {@link HostBatch#IGNORE}. */
    public HostBatch next() {
        int s = data.metadata().seqLen();
        int[] inputs = new int[batchSize * s];
        int[] labels = new int[batchSize * s];
        int[] ids = new int[batchSize];
        int filled = 0;
        long groupsVisited = 0;
        while (filled < batchSize) {
            if (cursor == order.length) {
                epoch++;
                cursor = 0;
                order = permutation(epoch);
            }
            if (++groupsVisited > 2L * order.length + batchSize)
                throw new InputException(data.dir() + ": the split has no examples to fill a batch of " + batchSize);
            int g = order[cursor++];
            int versions = data.groupEnd(g) - data.groupStart(g);
            if (versions == 0) continue;
            int puzzle = data.groupStart(g) + rng.nextInt(versions);
            int first = data.puzzleStart(puzzle);
            int count = data.puzzleEnd(puzzle) - first;
            if (count == 0) continue;
            int take = Math.min(count, batchSize - filled);
            int[] in = data.inputs(first, count);
            int[] lab = data.labels(first, count);
            int[] pick = new int[count];
            for (int i = 0; i < count; i++) pick[i] = i;
            rng.shuffle(pick);
            for (int k = 0; k < take; k++) {
                int row = pick[k];
                System.arraycopy(in, row * s, inputs, (filled + k) * s, s);
                for (int t = 0; t < s; t++) {
                    int l = lab[row * s + t];
                    labels[(filled + k) * s + t] = l == ignoreLabel ? HostBatch.IGNORE : l;
                }
                ids[filled + k] = data.puzzleIdentifier(puzzle);
            }
            filled += take;
        }
        return new HostBatch(batchSize, s, inputs, labels, ids);
    }
}
