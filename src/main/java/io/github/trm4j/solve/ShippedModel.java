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
import java.util.OptionalInt;

/**
 * The Sudoku model committed with trm4j, {@value #RELATIVE} in the repository (or install) folder.
 * It is looked for under the folder named by the system property {@value #HOME_PROPERTY} (the
 * {@code ./trm} launcher sets it to its own folder), then in the folders above the jar (or classes
 * folder) this code runs from, then in the working directory.
 */
public final class ShippedModel {
    /** Where the model lies inside the repository. */
    public static final String RELATIVE = "models/sudoku/model.safetensors";
    /** System property naming the trm4j folder that holds {@code models/}. */
    public static final String HOME_PROPERTY = "trm.home";
    /** The name solvers of the shipped model are shown under. */
    public static final String NAME = "shipped-sudoku";

    private ShippedModel() {}

    /** The shipped model's file; an InputException listing where it looked when it is in none of them. */
    public static Path path() {
        return find(candidates());
    }

    static Path find(List<Path> tried) {
        for (Path p : tried) if (Files.isRegularFile(p)) return p;
        throw new InputException("shipped model not found (looked for " + String.join(", ", tried.stream().map(Path::toString).toList())
                + "); run from the trm4j folder or pass --checkpoint FILE");
    }

    /**
     * Loads the shipped model for inference (on the CPU); a missing or broken file is one InputException
     * line naming the file. {@code dtype} is the forward dtype to compute in (null: auto, the
     * hardware's choice).
     */
    public static ModelLoader.Loaded load(DtypeChoice dtype) {
        return load(path(), dtype);
    }

    static ModelLoader.Loaded load(Path file, DtypeChoice dtype) {
        try {
            if (isLfsPointer(file))
                throw new InputException(file + ": is a Git LFS pointer, not the model; fetch it with 'git lfs pull'");
            ModelLoader.Loaded loaded = ModelLoader.load(file, null, OptionalInt.empty(), dtype, ComputeDevice.CPU);
            Solver.kindOf(loaded.config(), file.toString());
            return loaded;
        } catch (InputException e) {
            String m = e.getMessage();
            throw new InputException("shipped model is missing or broken: " + (m.startsWith(file.toString()) ? m : file + ": " + m));
        } catch (RuntimeException e) {
            throw new InputException("shipped model is broken: " + file + ": " + e.getMessage());
        }
    }

    static List<Path> candidates() {
        LinkedHashSet<Path> out = new LinkedHashSet<>();
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) out.add(Path.of(home).resolve(RELATIVE).toAbsolutePath().normalize());
        codeLocation().ifPresent(where -> {
            Path dir = Files.isDirectory(where) ? where : where.getParent();
            for (int up = 0; up < 3 && dir != null; up++, dir = dir.getParent()) out.add(dir.resolve(RELATIVE).normalize());
        });
        out.add(Path.of("").toAbsolutePath().resolve(RELATIVE).normalize());
        return new ArrayList<>(out);
    }

    /** The jar or classes folder this class was loaded from. */
    private static java.util.Optional<Path> codeLocation() {
        try {
            var source = ShippedModel.class.getProtectionDomain().getCodeSource();
            return source == null ? java.util.Optional.empty() : java.util.Optional.of(Path.of(source.getLocation().toURI()).toAbsolutePath());
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return java.util.Optional.empty();
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
