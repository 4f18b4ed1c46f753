package io.github.trm4j.model;

import io.github.trm4j.InputException;
import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * One batch as the model sees it.
 *
 * @param inputs (B, S) integer tokens
 * @param labels (B, S) integer targets, carried along for the trainer's loss; null for inference
 * @param puzzleIds (B) integer rows of the puzzle-embedding table
 */
public record Batch(Tensor inputs, Tensor labels, Tensor puzzleIds) {
    /** An inference batch: no labels, every puzzle id 0 (the blank / shared embedding). */
    public static Batch of(Tensor inputs) {
        return new Batch(inputs, null, torch.zeros(new long[] {inputs.size(0)},
                new org.bytedeco.pytorch.TensorOptions(ScalarType.Int).device(
                        new org.bytedeco.pytorch.DeviceOptional(inputs.device()))));
    }

    /** This batch on {@code device} (no copy for tensors already there). */
    Batch to(org.bytedeco.pytorch.Device device) {
        return new Batch(move(inputs, device), labels == null ? null : move(labels, device), move(puzzleIds, device));
    }

    private static Tensor move(Tensor t, org.bytedeco.pytorch.Device device) {
        return t.to(device, Ops.dtype(t));
    }

    /** B. */
    public long size() {
        return inputs.size(0);
    }

    /** Checks shapes and value ranges against {@code config}; an {@link InputException} names what is wrong. */
    void check(ModelConfig config) {
        long[] shape = inputs.shape();
        if (shape.length != 2 || shape[1] != config.seqLen()) {
            throw new InputException("inputs: expected shape [B, " + config.seqLen() + "], got " + Arrays.toString(shape));
        }
        if (inputs.is_floating_point() || puzzleIds.is_floating_point()) {
            throw new InputException("inputs and puzzle ids must be integers");
        }
        if (!Arrays.equals(puzzleIds.shape(), new long[] {shape[0]})) {
            throw new InputException("puzzle ids: expected shape [" + shape[0] + "], got " + Arrays.toString(puzzleIds.shape()));
        }
        if (labels != null && !Arrays.equals(labels.shape(), shape)) {
            throw new InputException("labels: expected shape " + Arrays.toString(shape) + ", got " + Arrays.toString(labels.shape()));
        }
        range("inputs", inputs, config.vocabSize());
        range("puzzle ids", puzzleIds, config.numPuzzleIdentifiers());
    }

    private static void range(String what, Tensor t, long bound) {
        if (t.numel() == 0) {
            return;
        }
        long min = t.min().item_long();
        long max = t.max().item_long();
        if (min < 0 || max >= bound) {
            throw new InputException(what + ": values must be in [0, " + bound + "), got [" + min + ", " + max + "]");
        }
    }
}
