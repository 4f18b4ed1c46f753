package io.github.trm4j.model;

import org.bytedeco.pytorch.Tensor;

/**
 * The result of one supervision step for every slot of the batch. The tensors belong to the
 * caller's {@code PointerScope} (or to the garbage collector without one); the carry owns its own.
 *
 * @param logits (B, S, V) in the forward dtype; with grad in training mode
 * @param qHalt (B) fp32 halting logits; with grad in training mode
 * @param qContinue (B) fp32 continue logits (unused by the TRM loss)
 * @param carry the next carry; its {@code data()} holds the inputs, labels and puzzle ids the step
 *     worked on, its {@code halted()} the slots that finished at this step
 * @param puzzleRows (B, puzzleEmbNdim) fp32 rows of the puzzle table used by this step (null without
 *     puzzle embeddings). In training mode a leaf that requires grad: after backward its
 *     {@code grad()} is what the sign-SGD of the puzzle embeddings reads, for ids
 *     {@code carry().data().puzzleIds()}
 */
public record StepOutput(Tensor logits, Tensor qHalt, Tensor qContinue, Carry carry, Tensor puzzleRows) {}
