package io.github.trm4j.data;

import io.github.trm4j.InputException;
import java.util.Objects;

/**
 * A named version of an ARC task: the task id and the augmentation applied to it. Its name is the
 * puzzle name in {@code identifiers.json}: the bare task id for the original, otherwise
 * {@code <task>|||t<k>|||<10-digit colour map>} (spec 6.4). {@link #parse} reads a name back so that
 * predictions can be undone at evaluation.
 */
public record ArcVersion(String taskId, ArcAugmentation augmentation) {
    private static final String SEPARATOR = "|||";

    public ArcVersion {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(augmentation, "augmentation");
    }

    public static ArcVersion original(String taskId) {
        return new ArcVersion(taskId, ArcAugmentation.IDENTITY);
    }

    public String name() {
        if (augmentation.isIdentity()) return taskId;
        return taskId + SEPARATOR + "t" + augmentation.transform().id() + SEPARATOR + augmentation.colourDigits();
    }

    /** Reads a puzzle name; a name without {@code |||} is an original task. */
    public static ArcVersion parse(String name) {
        int first = name.indexOf(SEPARATOR);
        if (first < 0) return original(name);
        String[] parts = name.substring(first + SEPARATOR.length()).split("\\|\\|\\|", -1);
        if (first == 0) throw bad(name, "empty task id");
        if (parts.length != 2) throw bad(name, "expected <task>|||t<k>|||<colour map>");
        String t = parts[0], map = parts[1];
        if (t.length() != 2 || t.charAt(0) != 't' || t.charAt(1) < '0' || t.charAt(1) > '7') throw bad(name, "transform '" + t + "' is not t0..t7");
        if (map.length() != 10 || !map.chars().allMatch(Character::isDigit)) throw bad(name, "colour map '" + map + "' is not 10 digits");
        int[] colours = new int[10];
        for (int c = 0; c < 10; c++) colours[c] = map.charAt(c) - '0';
        try {
            return new ArcVersion(name.substring(0, first), new ArcAugmentation(Dihedral.ofId(t.charAt(1) - '0'), colours));
        } catch (IllegalArgumentException e) {
            throw bad(name, e.getMessage());
        }
    }

    private static InputException bad(String name, String why) {
        return new InputException("bad ARC puzzle name '" + name + "': " + why);
    }
}
