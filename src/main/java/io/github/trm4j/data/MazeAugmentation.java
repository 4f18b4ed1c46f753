package io.github.trm4j.data;

import java.util.Arrays;
import java.util.List;

/**
 * A dihedral transform of a maze (spec 6.3): the same symmetry applied to question and answer.
 * Shortest paths map to shortest paths, so an augmented maze is as valid as its original.
 */
public record MazeAugmentation(Dihedral dihedral) {
    /** The 8 transforms in official id order, identity first; the builder's {@code --augment} versions. */
    public static final List<MazeAugmentation> ALL = Arrays.stream(Dihedral.values()).map(MazeAugmentation::new).toList();

    public Maze apply(Maze maze) {
        Grid q = dihedral.apply(maze.question());
        return maze.answer().map(a -> Maze.of(q, dihedral.apply(a))).orElseGet(() -> Maze.of(q));
    }

    public MazeAugmentation inverse() {
        return new MazeAugmentation(dihedral.inverse());
    }
}
