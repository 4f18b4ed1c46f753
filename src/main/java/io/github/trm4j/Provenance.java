package io.github.trm4j;

import java.nio.file.Path;

/**
 * How outputs name the files they came from: by a path relative to the output itself, or by name,
 * never by an absolute path of the machine that wrote them (checkpoints and reports travel).
 */
public final class Provenance {
    private Provenance() {}

    /**
     * {@code target} relative to the folder {@code base} ("../data/sudoku"), with '/' separators; the
     * file name alone when the two share no root.
     */
    public static String relative(Path base, Path target) {
        Path from = base.toAbsolutePath().normalize();
        Path to = target.toAbsolutePath().normalize();
        try {
            String r = from.relativize(to).toString().replace('\\', '/');
            return r.isEmpty() ? "." : r;
        } catch (IllegalArgumentException e) {
            return name(to);
        }
    }

    /** The last element of {@code path} ("run-main" for /work/runs/run-main). */
    public static String name(Path path) {
        Path p = path.toAbsolutePath().normalize().getFileName();
        return p == null ? "/" : p.toString();
    }
}
