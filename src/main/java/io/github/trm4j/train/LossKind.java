package io.github.trm4j.train;

/** The token loss of the language-model head (spec 3.1). */
public enum LossKind {
    /** Stablemax cross-entropy in float64: the official and paper choice. */
    STABLEMAX,
    /**
     * Ordinary softmax cross-entropy in fp32. The official code has one, but its loss head cannot
     * call it (spec 9.2); this is what it would compute.
     */
    SOFTMAX
}
