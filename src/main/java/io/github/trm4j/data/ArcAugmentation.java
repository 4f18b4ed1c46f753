package io.github.trm4j.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One ARC augmentation (spec 6.4): recolour with a permutation of the colours that keeps 0 (the
 * background) fixed, then apply a dihedral transform. {@code colours[c]} is the new colour of c.
 * Recolouring and moving cells commute, so the inverse is again of this form.
 */
public record ArcAugmentation(Dihedral transform, int[] colours) {
    /** The identity: what an original task is. */
    public static final ArcAugmentation IDENTITY = new ArcAugmentation(Dihedral.IDENTITY, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});

    public ArcAugmentation {
        Objects.requireNonNull(transform, "transform");
        colours = colours.clone();
        if (colours.length != 10) throw new IllegalArgumentException("colour map needs 10 entries, got " + colours.length);
        if (colours[0] != 0) throw new IllegalArgumentException("colour map must keep 0 fixed, got 0 -> " + colours[0]);
        boolean[] seen = new boolean[10];
        for (int c : colours) {
            if (c < 0 || c > 9 || seen[c]) throw new IllegalArgumentException("colour map " + Arrays.toString(colours) + " is not a permutation of 0..9");
            seen[c] = true;
        }
    }

    @Override
    public int[] colours() {
        return colours.clone();
    }

    public Grid apply(Grid g) {
        return transform.apply(g.mapValues(colours));
    }

    /** The task with every grid (demonstrations and tests, inputs and outputs) transformed. */
    public ArcTask apply(ArcTask task) {
        return new ArcTask(task.id(), apply(task.train()), apply(task.test()));
    }

    private List<ArcPair> apply(List<ArcPair> pairs) {
        return pairs.stream().map(p -> new ArcPair(apply(p.input()), p.hasOutput() ? apply(p.output()) : null)).toList();
    }

    /** The augmentation that undoes this one: inverse transform, inverse colour map. */
    public ArcAugmentation inverse() {
        int[] inv = new int[10];
        for (int c = 0; c < 10; c++) inv[colours[c]] = c;
        return new ArcAugmentation(transform.inverse(), inv);
    }

    public boolean isIdentity() {
        return equals(IDENTITY);
    }

    /** The 10-digit colour map as in version names: digit c is the new colour of c. */
    public String colourDigits() {
        StringBuilder sb = new StringBuilder(10);
        for (int c : colours) sb.append(c);
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArcAugmentation a && a.transform == transform && Arrays.equals(a.colours, colours);
    }

    @Override
    public int hashCode() {
        return 31 * transform.hashCode() + Arrays.hashCode(colours);
    }

    @Override
    public String toString() {
        return "t" + transform.id() + "/" + colourDigits();
    }
}
