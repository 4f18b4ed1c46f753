package io.github.trm4j.model;

import org.bytedeco.pytorch.Tensor;

/**
 * The state that persists between supervision steps (spec section 2.2). Its tensors are owned by
 * this record, not by any {@code PointerScope}: {@link Supervision#step} consumes (closes) the carry
 * it is given and returns the next one.
 *
 * @param y (B, L, D) answer state, forward dtype, detached
 * @param z (B, L, D) latent state, forward dtype, detached
 * @param steps (B) int32 supervision steps taken by each slot's current example
 * @param halted (B) bool: the slot is done and takes the next batch's row at the next step
 * @param data the example each slot is working on
 */
public record Carry(Tensor y, Tensor z, Tensor steps, Tensor halted, Batch data) implements AutoCloseable {

    /** Makes the tensors owned by this carry (they survive the scope they were made in). */
    static Carry owning(Tensor y, Tensor z, Tensor steps, Tensor halted, Batch data) {
        for (Tensor t : new Tensor[] {y, z, steps, halted, data.inputs(), data.labels(), data.puzzleIds()}) {
            if (t != null) {
                t.retainReference();
            }
        }
        return new Carry(y, z, steps, halted, data);
    }

    /** Frees the tensors. */
    @Override
    public void close() {
        for (Tensor t : new Tensor[] {y, z, steps, halted, data.inputs(), data.labels(), data.puzzleIds()}) {
            if (t != null && !t.isNull()) {
                t.releaseReference();
            }
        }
    }
}
