package io.github.trm4j.train;

import io.github.trm4j.InputException;
import io.github.trm4j.dist.Group;
import io.github.trm4j.model.TrmModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorArrayRef;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The collectives that make W ranks' steps one step over the global batch, as the official trainer
 * does with torch.distributed: each rank owns B/W consecutive rows; the loss is already divided by
 * the global B, so the gradients are summed; the puzzle-embedding rows and their ids are gathered
 * so every rank applies the same sign-SGD update; the metric sums are summed.
 */
final class DistributedStep {
    private final Group group;
    private final int rows;

    DistributedStep(Group group, int globalBatch) {
        if (globalBatch % group.size() != 0)
            throw new InputException("--batch-size: the global batch " + globalBatch + " does not split evenly over "
                    + group.size() + " ranks");
        this.group = group;
        this.rows = globalBatch / group.size();
    }

    /**
     * What must be equal on every rank before training starts: model, recipe, schedule length, data
     * sizes and the step a resume starts from.
     */
    static String setup(TrainPlan plan) {
        var m = plan.trainSplit().metadata();
        return "model " + plan.model().toJson() + " recipe " + plan.train().toJson() + " steps " + plan.totalSteps()
                + " data " + m.totalGroups() + " groups " + plan.trainSplit().puzzles() + " puzzles, seq " + m.seqLen()
                + " test " + (plan.testSplit() == null ? "none" : plan.testSplit().puzzles() + " puzzles")
                + " from step " + (plan.resumed() == null ? 0 : plan.resumed().step());
    }

    /** Rank 0's weights and buffers (puzzle table, H_init, L_init) into every rank's model. */
    static void broadcast(Group group, TrmModel model) {
        try (NoGradGuard g = new NoGradGuard()) {
            model.state().forEach((name, t) -> group.broadcast(t, name));
        }
    }

    /** Rows of the global batch this rank runs. */
    int rows() {
        return rows;
    }

    /** This rank's first row in the global batch. */
    int firstRow() {
        return group.rank() * rows;
    }

    /** The metric sums of all ranks (a non-finite loss on any rank makes the total non-finite on all). */
    StepMetrics.Sums reduce(StepMetrics.Sums s) {
        double[] v = {s.total(), s.lm(), s.qHalt(), s.count(), s.accuracy(), s.exact(), s.qHaltRight(), s.steps()};
        Tensor t = Tensor.create(v);
        group.allReduceSum(t, "step metrics");
        double[] r = new double[v.length];
        t.contiguous().data_ptr_double().get(r);
        return new StepMetrics.Sums(r[0], r[1], r[2], (long) r[3], r[4], (long) r[5], (long) r[6], (long) r[7]);
    }

    /**
     * Sums every parameter's gradient over the ranks in one flat all-reduce. A gradient undefined on
     * every rank stays undefined (AdamATan2 then skips it, as alone); one defined on some ranks counts
     * as zero on the others.
     */
    void reduceGradients(Map<String, Tensor> params) {
        try (NoGradGuard g = new NoGradGuard()) {
            List<Tensor> flat = new ArrayList<>();
            double[] defined = new double[params.size()];
            int i = 0;
            Tensor any = null;
            for (Tensor p : params.values()) {
                Tensor grad = p.grad();
                boolean has = grad.defined();
                defined[i++] = has ? 1 : 0;
                flat.add(has ? grad.reshape(-1) : torch.zeros(new long[] {p.numel()}, p.options()));
                if (any == null) any = p;
            }
            flat.add(Tensor.create(defined).to(any.device(), any.scalar_type()));
            Tensor buffer = torch.cat(new TensorArrayRef(new TensorVector(flat.toArray(new Tensor[0]))), 0);
            group.allReduceSum(buffer, "gradients");
            long offset = 0;
            long flags = buffer.numel() - params.size();
            i = 0;
            for (Tensor p : params.values()) {
                long n = p.numel();
                boolean used = buffer.select(0, flags + i++).item_double() > 0;
                if (used) {
                    Tensor summed = buffer.narrow(0, offset, n).view(p.shape());
                    if (p.grad().defined()) p.grad().copy_(summed);
                    else p.mutable_grad().put(summed.clone());
                }
                offset += n;
            }
        }
    }

    /** Every rank's puzzle-row gradients [rows, ndim], stacked in rank order: [B, ndim]. */
    Tensor gatherRows(Tensor grads) {
        return group.allGather(grads, "puzzle-embedding gradients");
    }

    /** Every rank's puzzle ids, in rank order. */
    int[] gatherIds(int[] ids) {
        return TrainStep.ints(group.allGather(Tensor.create(ids), "puzzle ids"));
    }

    /** One carry tensor of this rank's rows, joined with the other ranks' in rank order. */
    Tensor gatherCarry(Tensor mine) {
        return group.allGather(mine, "the ACT carry");
    }
}
