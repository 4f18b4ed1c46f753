package io.github.trm4j.model;

import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Tensor;

/**
 * The result of {@link Supervision#run}: every sequence's outputs at the step where it stopped.
 *
 * @param logits (B, S, V) in the forward dtype
 * @param qHalt (B) fp32
 * @param qContinue (B) fp32
 * @param steps (B) int32 supervision steps each sequence took
 * @param stepsRun supervision steps the batch ran (the maximum of {@code steps})
 */
public record Inference(Tensor logits, Tensor qHalt, Tensor qContinue, Tensor steps, int stepsRun) {
    /** (B, S) int64 argmax tokens. */
    public Tensor predictions() {
        return logits.argmax(new LongOptional(-1), false);
    }
}
