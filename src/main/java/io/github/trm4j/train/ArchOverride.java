package io.github.trm4j.train;

import io.github.trm4j.InputException;
import io.github.trm4j.model.ModelConfig;

/**
 * Architecture values given on the command line ({@code --hidden-size}, {@code --n}, {@code --T}...);
 * null means "keep the preset's, the config file's or the checkpoint's value". The recursion
 * counts (n, T, N_sup) leave the weights' shapes alone, so they may change under {@code --init-from};
 * the widths may not.
 */
public record ArchOverride(Integer hiddenSize, Integer numHeads, Double expansion, Integer layers,
        Integer latentSteps, Integer recursions, Integer supervisionSteps) {

    /** Nothing overridden. */
    public static final ArchOverride NONE = new ArchOverride(null, null, null, null, null, null, null);

    boolean isEmpty() {
        return equals(NONE);
    }

    boolean changesShapes() {
        return hiddenSize != null || numHeads != null || expansion != null || layers != null;
    }

    ModelConfig applyTo(ModelConfig c) {
        if (isEmpty()) return c;
        int d = positive(hiddenSize, c.hiddenSize(), "--hidden-size");
        int heads = positive(numHeads, c.numHeads(), "--heads");
        if (d % heads != 0) throw new InputException("--heads: " + heads + " does not divide the hidden size " + d);
        double exp = expansion != null ? expansion : c.expansion();
        if (!(exp > 0)) throw new InputException("--expansion: must be positive, not " + exp);
        return new ModelConfig(d, heads, exp, positive(layers, c.layers(), "--layers"),
                positive(latentSteps, c.latentSteps(), "--n"), positive(recursions, c.recursions(), "--T"),
                positive(supervisionSteps, c.supervisionSteps(), "--n-sup"), c.haltExplorationProb(),
                hiddenSize != null && c.puzzleEmbNdim() > 0 ? d : c.puzzleEmbNdim(), c.puzzleEmbLen(), c.posEncodings(),
                c.ropeTheta(), c.rmsNormEps(), c.mixer(), c.forwardDtype(), c.vocabSize(), c.seqLen(), c.numPuzzleIdentifiers());
    }

    private static int positive(Integer given, int fallback, String flag) {
        if (given == null) return fallback;
        if (given < 1) throw new InputException(flag + ": must be at least 1, not " + given);
        return given;
    }
}
