package io.github.trm4j.data;

import java.nio.file.Path;
import java.util.List;

/**
 * The two official ARC builds (spec 6.4), over a root laid out like the TRM repository's
 * {@code kaggle/combined/} folder: {@code arc-agi_<subset>_challenges.json} with its
 * {@code _solutions.json} beside it.
 */
public enum ArcPreset {
    /** ARC-AGI-1: training + evaluation + ConceptARC, tested on evaluation. */
    ARC1(List.of("training", "evaluation", "concept"), "evaluation"),
    /** ARC-AGI-2: training2 + evaluation2 + ConceptARC, tested on evaluation2. */
    ARC2(List.of("training2", "evaluation2", "concept"), "evaluation2");

    private final List<String> subsets;
    private final String testSubset;

    ArcPreset(List<String> subsets, String testSubset) {
        this.subsets = subsets;
        this.testSubset = testSubset;
    }

    /** The challenges files of all subsets, in build order (the test subset among them). */
    public List<Path> inputs(Path root) {
        return subsets.stream().map(s -> challenges(root, s)).toList();
    }

    public Path testInput(Path root) {
        return challenges(root, testSubset);
    }

    private static Path challenges(Path root, String subset) {
        return root.resolve("arc-agi_" + subset + "_challenges.json");
    }
}
