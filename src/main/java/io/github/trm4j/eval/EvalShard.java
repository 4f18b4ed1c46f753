package io.github.trm4j.eval;

import io.github.trm4j.Progress;
import io.github.trm4j.dist.Group;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * The part of a split that one rank of a distributed evaluation scores, and how the ranks' results
 * come together (docs/distributed.md). The rows are cut into batches of the batch size in file
 * order, as one process cuts them, and batch b goes to rank b mod W: every row is scored in the
 * same batch as alone, so its answers do not depend on W. The ranks run their batches in rounds of
 * W; when the caller keeps the answers, rank 0 receives each round's answers in file order through
 * an all-gather. The scores are integer counters, summed over the ranks at the end.
 */
public final class EvalShard {
    private static final EvalShard ALONE = new EvalShard(null);

    private final Group group;

    private EvalShard(Group group) {
        this.group = group;
    }

    /** The whole split in this process. */
    public static EvalShard alone() {
        return ALONE;
    }

    /** This rank's share of the split ({@link #alone()} without a group or with a group of one). */
    public static EvalShard of(Group group) {
        return group == null || group.size() == 1 ? ALONE : new EvalShard(group);
    }

    public int rank() {
        return group == null ? 0 : group.rank();
    }

    public int size() {
        return group == null ? 1 : group.size();
    }

    /** True on the rank that receives the answers and writes the outputs. */
    public boolean lead() {
        return rank() == 0;
    }

    /** Scores rows {@code first..first+rows-1}; may report how far it got through {@code part}. */
    interface Batch {
        Scoring.BatchAnswers run(long first, int rows, Part part);
    }

    /** {@code done} of {@code total} units of the current batch are finished. */
    interface Part {
        void reached(long done, long total);
    }

    /**
     * Runs {@code batch} on this rank's batches of the first {@code n} rows.
     *
     * @param sink given or null alike on every rank: when given, rank 0's sink sees every batch's
     *     answers in file order (the other ranks' sinks see none)
     * @param progress rank 0's count of rows, advanced as the rounds go; may be null
     */
    void forEachBatch(long n, int batchSize, int seqLen, Batch batch, Consumer<Scoring.BatchAnswers> sink, Progress progress) {
        long batches = (n + batchSize - 1) / batchSize;
        int w = size();
        for (long round = 0; round * w < batches; round++) {
            long roundFirst = round * w * batchSize;
            long roundRows = Math.min((long) w * batchSize, n - roundFirst);
            long first = roundFirst + (long) rank() * batchSize;
            Scoring.BatchAnswers mine = null;
            if (first < n) {
                mine = batch.run(first, (int) Math.min(batchSize, n - first), (done, total) -> {
                    if (progress != null) progress.stepTo(roundFirst + roundRows * done / total);
                });
            }
            if (sink != null) gather(mine, batchSize, seqLen).forEach(sink);
            if (progress != null) progress.stepTo(roundFirst + roundRows);
        }
    }

    /** Every rank's {@code counts}, summed element by element (the same length on every rank). */
    long[] sum(long[] counts, String what) {
        if (group == null) return counts;
        try (PointerScope scope = new PointerScope()) {
            Tensor t = Tensor.create(counts.clone());
            group.allReduceSum(t, what);
            long[] out = new long[counts.length];
            t.contiguous().data_ptr_long().get(out);
            return out;
        }
    }

    /**
     * The answers of one round, in rank order (which is file order), on rank 0; nothing elsewhere.
     * Each rank sends one int32 buffer of a full batch: [rows, first high, first low, inputs (B·S),
     * predictions (B·S), puzzle ids (B), q_halt bits (B), steps (B)], zeros past its rows.
     */
    private List<Scoring.BatchAnswers> gather(Scoring.BatchAnswers mine, int batchSize, int s) {
        if (group == null) return List.of(mine);
        int len = 3 + batchSize * (2 * s + 3);
        int[] packet = new int[len];
        if (mine != null) {
            int rows = mine.rows();
            packet[0] = rows;
            packet[1] = (int) (mine.first() >>> 32);
            packet[2] = (int) mine.first();
            int at = 3;
            System.arraycopy(mine.inputs(), 0, packet, at, rows * s);
            at += batchSize * s;
            System.arraycopy(mine.predictions(), 0, packet, at, rows * s);
            at += batchSize * s;
            System.arraycopy(mine.puzzleIds(), 0, packet, at, rows);
            at += batchSize;
            for (int r = 0; r < rows; r++) packet[at + r] = Float.floatToRawIntBits(mine.qHalt()[r]);
            at += batchSize;
            System.arraycopy(mine.steps(), 0, packet, at, rows);
        }
        int[] all = new int[len * size()];
        try (PointerScope scope = new PointerScope()) {
            group.allGather(Tensor.create(packet), "the evaluated answers").contiguous().data_ptr_int().get(all);
        }
        if (!lead()) return List.of();
        List<Scoring.BatchAnswers> out = new ArrayList<>(size());
        for (int r = 0; r < size(); r++) {
            int base = r * len;
            int rows = all[base];
            if (rows == 0) continue;
            long first = ((long) all[base + 1] << 32) | (all[base + 2] & 0xffffffffL);
            int at = base + 3;
            int[] inputs = Arrays.copyOfRange(all, at, at + rows * s);
            at += batchSize * s;
            int[] predictions = Arrays.copyOfRange(all, at, at + rows * s);
            at += batchSize * s;
            int[] ids = Arrays.copyOfRange(all, at, at + rows);
            at += batchSize;
            float[] qHalt = new float[rows];
            for (int i = 0; i < rows; i++) qHalt[i] = Float.intBitsToFloat(all[at + i]);
            at += batchSize;
            int[] steps = Arrays.copyOfRange(all, at, at + rows);
            out.add(new Scoring.BatchAnswers(first, rows, inputs, ids, predictions, qHalt, steps));
        }
        return out;
    }
}
