package io.github.trm4j.solve;

import io.github.trm4j.InputException;
import io.github.trm4j.model.ComputeDevice;
import io.github.trm4j.model.DtypeChoice;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A model committed with trm4j: one per puzzle kind ({@link #ALL}), at {@code relative} in the
 * repository (or install) folder. It is looked for under the folder named by the system property
 * {@value #HOME_PROPERTY} (the {@code ./trm} launcher sets it to its own folder), then in the folders
 * above the jar (or classes folder) this code runs from, then in the working directory.
 *
 * @param kind what it solves; loading checks that the file's model solves it
 * @param relative where it lies inside the repository
 * @param name the name solvers of the model are shown under
 */
public record ShippedModel(PuzzleKind kind, String relative, String name) {
    /** System property naming the trm4j folder that holds {@code models/}. */
    public static final String HOME_PROPERTY = "trm.home";

    public static final ShippedModel SUDOKU = new ShippedModel(PuzzleKind.SUDOKU, "models/sudoku/model.safetensors", "shipped-sudoku");
    public static final ShippedModel MAZE = new ShippedModel(PuzzleKind.MAZE, "models/maze/model.safetensors", "shipped-maze");
    /** Every shipped model, in the order {@code trm serve} offers them. ARC has none: an ARC model knows only its training tasks. */
    public static final List<ShippedModel> ALL = List.of(SUDOKU, MAZE);

    /** The shipped model for {@code kind}; an InputException when trm4j ships none. */
    public static ShippedModel of(PuzzleKind kind) {
        for (ShippedModel m : ALL) if (m.kind == kind) return m;
        throw new InputException("trm4j ships no " + kind.label() + " model; pass --checkpoint FILE");
    }

    /** The model's file; an InputException listing where it looked when it is in none of them. */
    public Path path() {
        return find(candidates());
    }

    Path find(List<Path> tried) {
        for (Path p : tried) if (Files.isRegularFile(p)) return p;
        throw new InputException("shipped " + kind.label() + " model not found (looked for "
                + String.join(", ", tried.stream().map(Path::toString).toList()) + "); run from the trm4j folder or pass --checkpoint FILE");
    }

    /**
     * Loads the model for inference (on the CPU); a missing or broken file, or one holding a model of
     * another kind, is one InputException line naming the file. {@code dtype} is the forward dtype to
     * compute in (null: auto, the hardware's choice).
     */
    public ModelLoader.Loaded load(DtypeChoice dtype) {
        return load(path(), dtype);
    }

    /** {@link #load} wrapped in a Solver shown under {@link #name}. */
    public Solver solver(DtypeChoice dtype) {
        return Solver.of(load(dtype), name);
    }

    ModelLoader.Loaded load(Path file, DtypeChoice dtype) {
        try {
            if (isLfsPointer(file))
                throw new InputException(file + ": is a Git LFS pointer, not the model; fetch it with 'git lfs pull'");
            ModelLoader.Loaded loaded = ModelLoader.load(file, null, OptionalInt.empty(), dtype, ComputeDevice.CPU);
            PuzzleKind found = Solver.kindOf(loaded.config(), file.toString());
            if (found != kind) throw new InputException(file + ": holds a " + found.label() + " model, not a " + kind.label() + " model");
            return loaded;
        } catch (InputException e) {
            String m = e.getMessage();
            throw new InputException("shipped " + kind.label() + " model is missing or broken: " + (m.startsWith(file.toString()) ? m : file + ": " + m));
        } catch (RuntimeException e) {
            throw new InputException("shipped " + kind.label() + " model is broken: " + file + ": " + e.getMessage());
        }
    }

    List<Path> candidates() {
        LinkedHashSet<Path> out = new LinkedHashSet<>();
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) out.add(Path.of(home).resolve(relative).toAbsolutePath().normalize());
        codeLocation().ifPresent(where -> {
            Path dir = Files.isDirectory(where) ? where : where.getParent();
            for (int up = 0; up < 3 && dir != null; up++, dir = dir.getParent()) out.add(dir.resolve(relative).normalize());
        });
        out.add(Path.of("").toAbsolutePath().resolve(relative).normalize());
        return new ArrayList<>(out);
    }

    /** The jar or classes folder this class was loaded from. */
    private static Optional<Path> codeLocation() {
        try {
            var source = ShippedModel.class.getProtectionDomain().getCodeSource();
            return source == null ? Optional.empty() : Optional.of(Path.of(source.getLocation().toURI()).toAbsolutePath());
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static boolean isLfsPointer(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(40);
            return new String(head, StandardCharsets.US_ASCII).startsWith("version https://git-lfs");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }
}
