package io.github.trm4j.train;

import java.util.Arrays;
import java.util.TreeMap;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The puzzle-embedding optimizer (spec 1.3): sign-SGD with decoupled weight decay on the rows of
 * the puzzle table that occur in the batch, and on no other row. Gradients of rows sharing an id
 * are summed first. It runs before AdamATan2 in every step.
 */
final class SignSgd {
    private SignSgd() {}

    /**
     * {@code table[u] ← table[u] · (1 − lr·wd) − lr · sign(Σ grads of u)} for every distinct u in {@code ids}.
     *
     * @param table [rows, ndim] fp32, updated in place
     * @param ids the table row of each gradient row [N]
     * @param grad [N, ndim], one row per batch slot
     */
    static void step(Tensor table, int[] ids, Tensor grad, double lr, double weightDecay) {
        // ascending unique ids and each slot's index among them, as torch.unique(return_inverse) gives
        TreeMap<Integer, Integer> slot = new TreeMap<>();
        for (int id : ids) slot.put(id, 0);
        long[] unique = new long[slot.size()];
        int k = 0;
        for (var e : slot.entrySet()) {
            e.setValue(k);
            unique[k++] = e.getKey();
        }
        long[] inverse = Arrays.stream(ids).mapToLong(slot::get).toArray();
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            Tensor u = torch.tensor(unique).to(table.device(), torch.ScalarType.Long);
            Tensor summed = torch.zeros(new long[] {unique.length, grad.size(1)}, grad.options())
                    .index_add_(0, torch.tensor(inverse).to(table.device(), torch.ScalarType.Long), grad);
            Tensor rows = table.index_select(0, u);
            rows.mul_(new Scalar(1.0 - lr * weightDecay)).add_(torch.sign(summed), new Scalar(-lr));
            table.index_copy_(0, u, rows);
        }
    }
}
