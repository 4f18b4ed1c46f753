package io.github.trm4j.data;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * An ARC task: demonstration pairs ({@code train} in the JSON) and test pairs whose outputs may be
 * unknown. Grids are at most 30×30 with colours 0..9 (checked by {@link ArcReader}).
 */
public record ArcTask(String id, List<ArcPair> train, List<ArcPair> test) {
    public ArcTask {
        Objects.requireNonNull(id, "id");
        train = List.copyOf(train);
        test = List.copyOf(test);
    }

    /** Whether every test pair carries its output (a build needs them). */
    public boolean testOutputsKnown() {
        return test.stream().allMatch(ArcPair::hasOutput);
    }

    /** All pairs, demonstrations first. */
    public List<ArcPair> pairs() {
        return Stream.concat(train.stream(), test.stream()).toList();
    }
}
